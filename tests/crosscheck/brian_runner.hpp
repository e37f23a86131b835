#pragma once
// What the Brian2 cross-checks share: running a reference script once with the system
// Python, reading its output, and skipping (exit 77, CTest's "skipped") with the reason
// when Brian2 cannot be imported.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace spikeq::crosscheck {

inline constexpr int kSkip = 77;

inline std::string quoted(const std::string& s) {
  std::string out;  // appended piece by piece: GCC 12 warns (-Wrestrict) on '+' chains here
  return out.append("'").append(s).append("'");
}

/// The exit code of a shell command, or -1 if it did not exit normally.
inline int run_shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

inline std::string read_text(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream o;
  o << f.rdbuf();
  return o.str();
}

/// Writes `input` to `input_path`, runs `python script input_path output_path [extra]`
/// with its output in `log_path`, and throws with the log when the script fails.
inline void run_brian_script(const std::string& python, const std::string& script,
                             const std::string& input_path, const std::string& input,
                             const std::string& output_path, const std::string& log_path,
                             const std::string& extra_argument = {}) {
  std::remove(output_path.c_str());
  {
    std::ofstream f(input_path);
    f << input;
    if (!f) throw std::runtime_error("cannot write " + input_path);
  }
  std::string cmd = quoted(python);
  for (const std::string* arg : {&script, &input_path, &output_path, &extra_argument}) {
    if (!arg->empty()) cmd.append(" ").append(quoted(*arg));
  }
  cmd.append(" > ").append(quoted(log_path)).append(" 2>&1");
  const int rc = run_shell(cmd);
  if (rc != 0) {
    std::string message = "Brian2 script failed (exit ";
    message.append(std::to_string(rc)).append("): ").append(cmd).append("\n--- ");
    message.append(log_path).append(" ---\n").append(read_text(log_path));
    throw std::runtime_error(message);
  }
}

/// Runs the doctest cases if `python` can import `modules` (e.g. "brian2, Cython"), else
/// prints why and returns kSkip.
inline int run_if_importable(int argc, char** argv, const std::string& python,
                             const std::string& modules, const std::string& install_hint) {
  if (python.empty()) {
    std::cout << "SKIPPED: no Python interpreter for Brian2 was found at configure time "
                 "(set SPIKEQ_BRIAN2_PYTHON, normally /usr/bin/python3 with python3-brian)\n";
    return kSkip;
  }
  std::string probe = quoted(python);
  probe.append(" -c 'import warnings; warnings.simplefilter(\"ignore\"); import ")
      .append(modules)
      .append("' > /dev/null 2>&1");
  const int rc = run_shell(probe);
  if (rc != 0) {
    std::cout << "SKIPPED: " << python << " cannot import " << modules << " (" << install_hint
              << ")\n";
    return kSkip;
  }
  doctest::Context context(argc, argv);
  return context.run();
}

}  // namespace spikeq::crosscheck
