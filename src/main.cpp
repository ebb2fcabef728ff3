#include "gilguard/cli/run_main.hpp"

int main(int argc, char** argv) { return gilguard::cli::run_main(argc, argv); }
