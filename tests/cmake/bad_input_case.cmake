# SPDX-License-Identifier: Apache-2.0
# Runs one case of the bad-input corpus (tests/data/bad/, see its README.md) through the real
# `itsim validate` and checks its exit code, its stderr byte for byte, and that stdout is empty.
#
#   cmake -DITSIM=/path/to/itsim -DCASE=name -DDATA_DIR=tests/data/bad -DWORK_DIR=/build/dir
#         -P tests/cmake/bad_input_case.cmake
#
# Run from the source root (add_test's WORKING_DIRECTORY): DATA_DIR is relative to it, so that
# the paths in the messages are the stable `tests/data/bad/NAME.yaml`.
#
# <DATA_DIR>/<CASE>.case (optional) holds `key: value` lines ('#' starts a comment line):
#   args: ...      extra arguments before the file (shell-like quoting), e.g. --set a.b=1
#   exit: N        expected exit code (default 65)
#   input: PATH    the path to validate instead of <DATA_DIR>/<CASE>.yaml (e.g. a missing one)
#   generate: KIND the input is generated into WORK_DIR at test time (see below); in the
#                  expected stderr, @FILE@ stands for its path
cmake_minimum_required(VERSION 3.25)

foreach(var ITSIM CASE DATA_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "bad_input_case.cmake: -D${var}=... is required")
  endif()
endforeach()

set(expected_file "${DATA_DIR}/${CASE}.stderr")
set(case_file "${DATA_DIR}/${CASE}.case")
if(NOT EXISTS "${expected_file}")
  message(FATAL_ERROR "no ${expected_file}")
endif()
file(MAKE_DIRECTORY "${WORK_DIR}")

# ---- the case's settings ---------------------------------------------------------------
set(args "")
set(expected_exit 65)
set(input "${DATA_DIR}/${CASE}.yaml")
set(generate "")
if(EXISTS "${case_file}")
  file(STRINGS "${case_file}" lines)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*(#|$)")
      continue()
    elseif(line MATCHES "^args:[ \t]*(.*)$")
      separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^exit:[ \t]*([0-9]+)[ \t]*$")
      set(expected_exit "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^input:[ \t]*(.+)$")
      set(input "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^generate:[ \t]*([a-z0-9_]+)[ \t]*$")
      set(generate "${CMAKE_MATCH_1}")
    else()
      message(FATAL_ERROR "${case_file}: cannot read the line '${line}' "
                          "(expected args:, exit:, input: or generate:)")
    endif()
  endforeach()
endif()

# ---- generated inputs ------------------------------------------------------------------
# CMake strings cannot hold a NUL byte, so NULs are copied from /dev/zero (through file://,
# which CMake's curl reads) and files are assembled with `cmake -E cat`.
function(nul_bytes out count)
  math(EXPR last "${count} - 1")
  file(DOWNLOAD "file:///dev/zero" "${out}" RANGE_START 0 RANGE_END ${last} STATUS status)
  list(GET status 0 code)
  file(SIZE "${out}" size)
  if(NOT code EQUAL 0 OR NOT size EQUAL count)
    message(FATAL_ERROR "cannot generate NUL bytes from /dev/zero: ${status}")
  endif()
endfunction()

function(concatenate out)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E cat ${ARGN} OUTPUT_FILE "${out}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot write ${out}")
  endif()
endfunction()

# Bytes 1 to 255 in order.
function(bytes_1_255 out)
  set(text "")
  foreach(code RANGE 1 255)
    string(ASCII ${code} c)
    string(APPEND text "${c}")
  endforeach()
  file(WRITE "${out}" "${text}")
endfunction()

# A valid scenario (tests/data/bad/include/base.yaml's content, inline so that this script
# does not depend on that file's line count).
set(valid_scenario [=[name: generated
organisation:
  units:
    sales: {headcount: 100}
demand:
  work_types:
    incident: {rate: 0.5/employee/month, effort: 30min}
staff:
  pools:
    desk: {headcount: 3}
models:
  basic:
    routes:
      incident:
        stages:
          triage: {pool: desk}
]=])

set(parts "${WORK_DIR}/${CASE}.parts")
if(generate)
  set(input "${WORK_DIR}/${CASE}.yaml")
  file(REMOVE_RECURSE "${parts}")
  file(MAKE_DIRECTORY "${parts}")
  if(generate STREQUAL "bytes_0_255")
    # 16 times the bytes 0 to 255: binary garbage that starts with a NUL.
    nul_bytes("${parts}/0" 1)
    bytes_1_255("${parts}/1")
    concatenate("${parts}/chunk" "${parts}/0" "${parts}/1")
    set(chunks "")
    foreach(i RANGE 1 16)
      list(APPEND chunks "${parts}/chunk")
    endforeach()
    concatenate("${input}" ${chunks})
  elseif(generate STREQUAL "bytes_1_255")
    # 16 times the bytes 1 to 255: no NUL, so the first byte that is not UTF-8 (0x80) counts.
    bytes_1_255("${parts}/chunk")
    set(chunks "")
    foreach(i RANGE 1 16)
      list(APPEND chunks "${parts}/chunk")
    endforeach()
    concatenate("${input}" ${chunks})
  elseif(generate STREQUAL "nul_byte")
    # The valid scenario with a NUL byte in the middle of "sales" (line 4, column 7).
    string(FIND "${valid_scenario}" "sales" at)
    math(EXPR at "${at} + 2")
    string(SUBSTRING "${valid_scenario}" 0 ${at} head)
    string(SUBSTRING "${valid_scenario}" ${at} -1 tail)
    file(WRITE "${parts}/head" "${head}")
    nul_bytes("${parts}/nul" 1)
    file(WRITE "${parts}/tail" "${tail}")
    concatenate("${input}" "${parts}/head" "${parts}/nul" "${parts}/tail")
  elseif(generate STREQUAL "large_10mb")
    # The valid scenario (16 lines), 100000 comment lines of 100 bytes (10 MB), then an
    # error on line 100017.
    string(REPEAT "x" 98 x98)
    string(REPEAT "#${x98}\n" 100000 padding)
    file(WRITE "${input}" "${valid_scenario}${padding}replications: 0\n")
  elseif(generate STREQUAL "too_large")
    # 17 MiB of comment lines after the valid scenario: over the 16 MiB limit.
    string(REPEAT "x" 1022 x1022)
    string(REPEAT "#${x1022}\n" 1024 mib)
    file(WRITE "${parts}/mib" "${mib}")
    file(WRITE "${parts}/head" "${valid_scenario}")
    set(chunks "${parts}/head")
    foreach(i RANGE 1 17)
      list(APPEND chunks "${parts}/mib")
    endforeach()
    concatenate("${input}" ${chunks})
  elseif(generate STREQUAL "huge_list")
    # A weekday profile of 100000 values (1 MB) where 7 are expected.
    string(REPEAT "1, " 99999 values)
    string(REPLACE "demand:\n" "demand:\n  profile:\n    weekday: [${values}1]\n" text
                   "${valid_scenario}")
    file(WRITE "${input}" "${text}")
  else()
    message(FATAL_ERROR "${case_file}: unknown generator '${generate}'")
  endif()
  file(REMOVE_RECURSE "${parts}")
endif()

# ---- run ---------------------------------------------------------------------------------
set(command "${ITSIM}" validate ${args} "${input}")
string(JOIN " " shown ${command})
string(TIMESTAMP started "%s")
execute_process(COMMAND ${command}
                RESULT_VARIABLE rc
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                TIMEOUT 120)
string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")

file(READ "${expected_file}" expected)
string(REPLACE "@FILE@" "${input}" expected "${expected}")
file(WRITE "${WORK_DIR}/${CASE}.expected.stderr" "${expected}")
file(WRITE "${WORK_DIR}/${CASE}.actual.stderr" "${err}")

set(failures "")
if(NOT rc MATCHES "^[0-9]+$")
  # A signal (crash, abort) or the timeout: execute_process gives a description instead.
  string(APPEND failures "  itsim did not exit normally: ${rc} (after ${seconds} s)\n")
elseif(NOT rc EQUAL expected_exit)
  string(APPEND failures "  exit code ${rc}, expected ${expected_exit}\n")
endif()
if(NOT out STREQUAL "")
  string(APPEND failures "  stdout is not empty:\n${out}\n")
endif()
if(NOT err STREQUAL expected)
  string(APPEND failures "  stderr differs from ${expected_file}")
  if(generate)
    string(APPEND failures " (@FILE@ = ${input})")
  endif()
  string(APPEND failures ":\n")
  find_program(DIFF_PROGRAM diff)
  if(DIFF_PROGRAM)
    execute_process(COMMAND "${DIFF_PROGRAM}" -u --label expected --label actual
                            "${WORK_DIR}/${CASE}.expected.stderr"
                            "${WORK_DIR}/${CASE}.actual.stderr"
                    OUTPUT_VARIABLE diff)
    string(APPEND failures "${diff}")
  else()
    string(APPEND failures "--- expected\n${expected}\n+++ actual\n${err}\n")
  endif()
  string(APPEND failures "  actual stderr kept in ${WORK_DIR}/${CASE}.actual.stderr\n")
endif()

if(failures)
  message(FATAL_ERROR "bad_input.${CASE}: ${shown}\n${failures}")
endif()
message(STATUS "bad_input.${CASE}: exit ${rc} and stderr as expected (${seconds} s)")
