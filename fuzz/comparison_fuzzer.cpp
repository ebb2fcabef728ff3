// libFuzzer target: the comparison loader (`gilguard report`, and `gilguard comment --from`,
// which the fork companion runs on an artifact a fork's workflow uploaded).

#include <cstddef>
#include <cstdint>

#include "gilguard/baseline/comparison_codec.hpp"
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gilguard::fuzz::check_round_trip({reinterpret_cast<const char*>(data), size},
                                   gilguard::baseline::comparison_from_json_text,
                                   gilguard::baseline::comparison_to_json_text);
  return 0;
}
