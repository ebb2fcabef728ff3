// libFuzzer target: the results loader (`gilguard compare`, `report --results`, `baseline
// update` read results files people and workflows hand over).

#include <cstddef>
#include <cstdint>

#include "gilguard/baseline/results_codec.hpp"
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gilguard::fuzz::check_round_trip({reinterpret_cast<const char*>(data), size},
                                   gilguard::baseline::results_from_json_text,
                                   gilguard::baseline::results_to_json_text);
  return 0;
}
