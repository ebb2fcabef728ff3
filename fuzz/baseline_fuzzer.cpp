// libFuzzer target: the baseline loader (baselines/<key>.json, which pull requests may edit).

#include <cstddef>
#include <cstdint>

#include "gilguard/baseline/codec.hpp"
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gilguard::fuzz::check_round_trip({reinterpret_cast<const char*>(data), size},
                                   gilguard::baseline::baseline_from_json_text,
                                   gilguard::baseline::to_json_text);
  return 0;
}
