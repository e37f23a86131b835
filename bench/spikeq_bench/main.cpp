// spikeq_bench: times one of the Brian2 peer networks built with spikeq.
//   spikeq_bench --network NAME [--size N] [--duration MS] [--seed K]
//                [--backend NAME] [--threads T] [--oversubscribe]   (NAME: this build's backends)
#include <cstdio>
#include <exception>
#include <string>

#include "measure.hpp"
#include "networks.hpp"
#include "options.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  using namespace spikeq_bench;
  const std::string program = argc > 0 ? argv[0] : "spikeq_bench";
  try {
    const Options options = parse_options(argc, argv);
    if (options.help) {
      std::fputs(usage(program).c_str(), stdout);
      return 0;
    }
    const NetworkKind* kind = find_network(options.network);
    if (kind == nullptr) {
      throw UsageError("unknown network '" + options.network + "' (choose " +
                       network_names() + ")");
    }
    print_report(stdout, measure(*kind, options), options);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n%s", program.c_str(), e.what(), usage(program).c_str());
    return 2;
  } catch (const std::exception& e) {
    // spikeq::Error messages name the object and parameter at fault.
    std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
    return 1;
  }
}
