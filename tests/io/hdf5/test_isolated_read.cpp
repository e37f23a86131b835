// io::read_in_child: what a read of an untrusted file does in the child comes back to the
// parent as a result or a clean error; a crash or a hang of the child never ends the parent.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <stdexcept>
#include <string>
#include <thread>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/errors.hpp"
#include "spikeq/io/isolated_read.hpp"

namespace io = spikeq::io;

namespace {

std::string failure_of(const std::function<void()>& read, std::chrono::seconds limit = {}) {
  try {
    io::read_in_child("some.h5", read, limit);
  } catch (const io::FileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a read that finishes in the child returns, and its effects stay there") {
  int touched = 0;
  io::read_in_child("some.h5", [&] { touched = 1; });
  CHECK(touched == 0);  // the child's copy of the variable changed, not ours
}

TEST_CASE("an error thrown in the child comes back with its message") {
  const std::string m = failure_of([] { throw io::FileError("some.h5: /spikes/times: bad value"); });
  CHECK(m == "some.h5: /spikes/times: bad value");
}

TEST_CASE("a crash in the child is an error naming the file and the signal") {
  const std::string m = failure_of([] { std::raise(SIGSEGV); });
  CHECK(m.find("some.h5: the file is corrupt") == 0);
  CHECK(m.find("SIGSEGV") != std::string::npos);
}

TEST_CASE("a child that loops is stopped and reported") {
  const std::string m = failure_of(
      [] {
        std::atomic<unsigned long> spin{0};
        for (;;) spin.fetch_add(1, std::memory_order_relaxed);
      },
      std::chrono::seconds(2));
  CHECK(m.find("some.h5: reading the file did not finish within 2 s") == 0);
}

TEST_CASE("a child that is blocked (not the file's doing) is stopped, and the read goes on") {
  // As after a fork while another thread held a lock: the child sleeps, using no processor.
  const auto start = std::chrono::steady_clock::now();
  CHECK(failure_of([] { std::this_thread::sleep_for(std::chrono::seconds(30)); },
                   std::chrono::seconds(1)) == "");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(15));
}

TEST_CASE("anything else that ends the child is our bug, not the file's") {
  CHECK_THROWS_AS(io::read_in_child("some.h5", [] { throw std::runtime_error("oops"); }),
                  std::logic_error);
}
