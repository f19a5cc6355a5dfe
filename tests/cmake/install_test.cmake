# SPDX-License-Identifier: Apache-2.0
# Installs a build of itsim into a fresh prefix, checks the installed files, then configures,
# builds and runs a program outside itsim (tests/install/consumer/) that finds the package
# with find_package(itsim CONFIG REQUIRED): it must exit 0 and print the net value of a
# four-week run of the scenario.
#
#   cmake -DBUILD_DIR=... -DCONFIG=Release -DPREFIX=... -DCONSUMER_SOURCE=... -DCONSUMER_BUILD=...
#         -DSCENARIO=scenarios/midsize.yaml -DGENERATOR=Ninja -DMAKE_PROGRAM=...
#         -DCXX_COMPILER=... -DLIBDIR=lib -DINCLUDEDIR=include -DBINDIR=bin
#         [-DLAUNCHER=ccache] -P tests/cmake/install_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var BUILD_DIR CONFIG PREFIX CONSUMER_SOURCE CONSUMER_BUILD SCENARIO GENERATOR
            CXX_COMPILER LIBDIR INCLUDEDIR BINDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_test.cmake: -D${var}=... is required")
  endif()
endforeach()

string(TIMESTAMP started "%s")
# Runs a command; stops the test with its output unless it exits 0. OUT receives stdout.
function(run_step what out)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE stdout
                  ERROR_VARIABLE stderr TIMEOUT 300)
  if(NOT rc EQUAL 0)
    string(JOIN " " shown ${ARGN})
    message(FATAL_ERROR "${what} failed (${rc}): ${shown}\n--- stdout\n${stdout}--- stderr\n${stderr}")
  endif()
  set(${out} "${stdout}" PARENT_SCOPE)
endfunction()

# ---- install ---------------------------------------------------------------------------
file(REMOVE_RECURSE "${PREFIX}" "${CONSUMER_BUILD}")
run_step("cmake --install" ignored
         "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --config "${CONFIG}" --prefix "${PREFIX}")

# Exactly the libraries, their headers, the package files and the program: nothing of the
# build tree (tests, benchmarks, fuzzers, test tools) leaks into the prefix.
set(libraries sim models scenarios analysis experiments calibration report)
set(required "${BINDIR}/itsim")
foreach(file itsimConfig itsimConfigVersion itsimTargets)
  list(APPEND required "${LIBDIR}/cmake/itsim/${file}.cmake")
endforeach()
foreach(lib IN LISTS libraries)
  list(APPEND required "${LIBDIR}/libitsim_${lib}.a")
endforeach()
list(JOIN libraries "|" any_library)
set(allowed "^(${BINDIR}/itsim|${LIBDIR}/cmake/itsim/itsim(Config|ConfigVersion|Targets(-[a-z]+)?)\\.cmake|${LIBDIR}/libitsim_(${any_library})\\.a|${INCLUDEDIR}/itsim/(${any_library})/[a-z0-9_]+\\.hpp)$")
file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
set(problems "")
foreach(file IN LISTS required)
  if(NOT EXISTS "${PREFIX}/${file}")
    string(APPEND problems "  missing: ${file}\n")
  endif()
endforeach()
set(headers 0)
foreach(file IN LISTS installed)
  if(NOT file MATCHES "${allowed}")
    string(APPEND problems "  not part of the package: ${file}\n")
  elseif(file MATCHES "\\.hpp$")
    math(EXPR headers "${headers} + 1")
    # Every project header an installed header includes is installed too.
    file(STRINGS "${PREFIX}/${file}" includes REGEX "^#include \"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([^\"]+)\".*$" "\\1" included "${line}")
      if(NOT EXISTS "${PREFIX}/${INCLUDEDIR}/${included}")
        string(APPEND problems "  ${file} includes ${included}, which is not installed\n")
      endif()
    endforeach()
  endif()
endforeach()
foreach(lib IN LISTS libraries)
  if(NOT EXISTS "${PREFIX}/${INCLUDEDIR}/itsim/${lib}")
    string(APPEND problems "  no headers of itsim::${lib} in ${INCLUDEDIR}/itsim/${lib}\n")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "the install prefix ${PREFIX} is not as expected:\n${problems}")
endif()

# ---- a program outside itsim -------------------------------------------------------------
set(configure "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE}" -B "${CONSUMER_BUILD}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_BUILD_TYPE=${CONFIG}"
    "-DCMAKE_PREFIX_PATH=${PREFIX}")
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(LAUNCHER)
  list(APPEND configure "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
run_step("configuring the consumer" ignored ${configure})
# The package came from the prefix, not from another installation on the machine.
file(STRINGS "${CONSUMER_BUILD}/CMakeCache.txt" itsim_dir REGEX "^itsim_DIR:")
string(REGEX REPLACE "^itsim_DIR:[A-Z]+=" "" itsim_dir "${itsim_dir}")
if(NOT itsim_dir STREQUAL "${PREFIX}/${LIBDIR}/cmake/itsim")
  message(FATAL_ERROR "the consumer found itsim in '${itsim_dir}', not in ${PREFIX}")
endif()
run_step("building the consumer" ignored
         "${CMAKE_COMMAND}" --build "${CONSUMER_BUILD}" --config "${CONFIG}")

set(program "${CONSUMER_BUILD}/itsim_consumer")
if(NOT EXISTS "${program}")
  set(program "${CONSUMER_BUILD}/${CONFIG}/itsim_consumer") # multi-config generators
endif()
run_step("running the consumer" printed "${program}" "${SCENARIO}")
if(NOT printed MATCHES "^net_value -?[0-9][0-9.e+-]*\n$")
  message(FATAL_ERROR "${program} ${SCENARIO} printed\n${printed}\nexpected one line "
                      "'net_value NUMBER'")
endif()

string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")
string(STRIP "${printed}" printed)
message(STATUS "installed ${headers} headers and the package; the consumer printed "
               "'${printed}' (${seconds} s)")
