#pragma once
// Every neuron model spikeq knows, and the variant that names one in a network.
#include <variant>

#include "spikeq/neurons/elm.hpp"
#include "spikeq/neurons/izhikevich.hpp"
#include "spikeq/neurons/lif_cond_exp.hpp"
#include "spikeq/neurons/lif_psc_alpha.hpp"
#include "spikeq/neurons/lif_psc_delta.hpp"
#include "spikeq/neurons/lif_psc_exp.hpp"
#include "spikeq/neurons/spike_replay.hpp"
#include "spikeq/neurons/spike_sources.hpp"

namespace spikeq {

/// The parameters of one population's model; the alternative selects the model.
using NeuronModel =
    std::variant<neurons::izhikevich::params, neurons::lif_psc_exp::params,
                 neurons::lif_psc_alpha::params, neurons::lif_psc_delta::params,
                 neurons::lif_cond_exp::params, neurons::spike_source_array::params,
                 neurons::poisson_source::params, neurons::elm::params,
                 neurons::spike_replay::params>;

/// Maps a params type to its model type.
template <typename Params>
struct model_of;
template <> struct model_of<neurons::izhikevich::params> { using type = neurons::izhikevich; };
template <> struct model_of<neurons::lif_psc_exp::params> { using type = neurons::lif_psc_exp; };
template <> struct model_of<neurons::lif_psc_alpha::params> { using type = neurons::lif_psc_alpha; };
template <> struct model_of<neurons::lif_psc_delta::params> { using type = neurons::lif_psc_delta; };
template <> struct model_of<neurons::lif_cond_exp::params> { using type = neurons::lif_cond_exp; };
template <> struct model_of<neurons::spike_source_array::params> { using type = neurons::spike_source_array; };
template <> struct model_of<neurons::poisson_source::params> { using type = neurons::poisson_source; };
template <> struct model_of<neurons::elm::params> { using type = neurons::elm; };
template <> struct model_of<neurons::spike_replay::params> { using type = neurons::spike_replay; };
template <typename Params>
using model_of_t = typename model_of<Params>::type;

}  // namespace spikeq
