# SPDX-License-Identifier: Apache-2.0
# Warning and sanitizer settings, applied per target (never through global flags) so that
# third-party code is untouched.

function(itsim_target_options target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  # Determinism: no fused multiply-add unless written, so that the same source gives the
  # same bits with GCC and Clang at any optimisation level and -march.
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:-ffp-contract=off>)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion>
    $<$<CXX_COMPILER_ID:MSVC>:/W4>)
  # GCC 12 reports -Wrestrict on std::string concatenation at -O3 inside libstdc++ itself
  # (GCC bug 105329, fixed in GCC 13): a false positive that would break -Werror builds.
  target_compile_options(${target} PRIVATE
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
  if(ITSIM_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE
      $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror> $<$<CXX_COMPILER_ID:MSVC>:/WX>)
  endif()
  if(ITSIM_SANITIZERS)
    list(JOIN ITSIM_SANITIZERS "," sanitizers)
    target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=${sanitizers})
  endif()
  if(ITSIM_BUILD_FUZZERS)
    # Coverage instrumentation for libFuzzer; the fuzz targets link libFuzzer itself.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# Declares the library itsim_<name> with alias itsim::<name> from an explicit source list,
# installed and exported as itsim::<name> (cmake/ItsimInstall.cmake).
function(itsim_add_library name)
  add_library(itsim_${name} ${ARGN})
  add_library(itsim::${name} ALIAS itsim_${name})
  target_include_directories(itsim_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  itsim_target_options(itsim_${name})
  itsim_install_library(${name})
endfunction()
