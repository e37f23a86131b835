#pragma once
// The one list of neuron models. The `NeuronModel` variant, `model_of`, the backends'
// population states, model_names(), the YAML reader's dispatch and the recordables all
// come from `Models`: adding a model is its header and one line here.
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <variant>

#include "spikeq/neurons/aeif_cond_exp.hpp"
#include "spikeq/neurons/elm.hpp"
#include "spikeq/neurons/izhikevich.hpp"
#include "spikeq/neurons/lif_cond_exp.hpp"
#include "spikeq/neurons/lif_psc_alpha.hpp"
#include "spikeq/neurons/lif_psc_delta.hpp"
#include "spikeq/neurons/lif_psc_exp.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/spike_replay.hpp"
#include "spikeq/neurons/spike_sources.hpp"

namespace spikeq::neurons {

/// Every model a population can have, in the order `spikeq info` and the docs list them.
using Models = ModelList<izhikevich, lif_psc_exp, lif_psc_alpha, lif_psc_delta, lif_cond_exp,
                         aeif_cond_exp, spike_source_array, poisson_source, elm, spike_replay>;

/// Models whose state advances by step(); the others are driven by the backend itself
/// (elm: a multi-input kernel over a whole tile; spike_replay: recorded spikes).
template <typename M>
inline constexpr bool is_point_model =
    !std::is_same_v<M, elm> && !std::is_same_v<M, spike_replay>;

/// The kernels a model builds into: itself, or the list a model declares (one per
/// compile-time variant, e.g. lif_cond_exp's integrators) with `kernel(params)` choosing.
template <typename M>
struct kernels_of {
  using type = ModelList<M>;
};
template <typename M>
  requires requires { typename M::kernels; }
struct kernels_of<M> {
  using type = typename M::kernels;
};

template <typename... Lists>
struct concat_lists;
template <typename... A>
struct concat_lists<ModelList<A...>> {
  using type = ModelList<A...>;
};
template <typename... A, typename... B, typename... Rest>
struct concat_lists<ModelList<A...>, ModelList<B...>, Rest...> {
  using type = typename concat_lists<ModelList<A..., B...>, Rest...>::type;
};

template <typename List>
struct all_kernels;
template <typename... Ms>
struct all_kernels<ModelList<Ms...>> {
  using type = typename concat_lists<typename kernels_of<Ms>::type...>::type;
};
/// Every kernel of every model: what a backend holds a population state for.
using Kernels = typename all_kernels<Models>::type;

/// Instantiates T<Ms...> from a list.
template <template <typename...> class T, typename List>
struct apply_list;
template <template <typename...> class T, typename... Ms>
struct apply_list<T, ModelList<Ms...>> {
  using type = T<Ms...>;
};

/// Calls f(std::type_identity<M>{}) for every model of a list, in order.
template <typename... Ms, typename F>
constexpr void for_each_model(ModelList<Ms...>, F&& f) {
  (f(std::type_identity<Ms>{}), ...);
}

template <typename... Ms>
constexpr std::array<std::string_view, sizeof...(Ms)> names_of(ModelList<Ms...>) {
  return {Ms::name...};
}
/// The names `model:` accepts, in registry order.
inline constexpr auto model_names = names_of(Models{});

template <typename... Ms>
consteval bool all_point_models_checked(ModelList<Ms...>) {
  return ((!is_point_model<Ms> || PointNeuronModel<Ms>) && ...);
}
static_assert(all_point_models_checked(Kernels{}),
              "a point model does not satisfy PointNeuronModel (see model.hpp)");

}  // namespace spikeq::neurons

namespace spikeq {

template <typename... Ms>
using params_variant = std::variant<typename Ms::params...>;
/// The parameters of one population's model; the alternative selects the model.
using NeuronModel = typename neurons::apply_list<params_variant, neurons::Models>::type;

/// Maps a params type to its model type (the registry entry whose params it is).
template <typename Params, typename List = neurons::Models>
struct model_of;
template <typename Params, typename M, typename... Rest>
struct model_of<Params, neurons::ModelList<M, Rest...>>
    : std::conditional_t<std::is_same_v<typename M::params, Params>,
                         std::type_identity<M>, model_of<Params, neurons::ModelList<Rest...>>> {};
template <typename Params>
using model_of_t = typename model_of<Params>::type;

}  // namespace spikeq
