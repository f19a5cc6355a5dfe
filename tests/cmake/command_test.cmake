# SPDX-License-Identifier: Apache-2.0
# Runs one command and checks its exit code and its output, so that a test fails when the
# command fails even if it printed what was expected (CTest's PASS_REGULAR_EXPRESSION alone
# ignores the exit code).
#
#   cmake "-DCOMMAND=/path/to/itsim,sweep,FILE,--dry-run" -DSTDOUT=REGEX [-DEXIT=0]
#         [-DSTDERR=REGEX] -P tests/cmake/command_test.cmake
#
# COMMAND is the program and its arguments, comma separated (none may hold a comma).
# STDOUT (and STDERR, when given) must match somewhere in that stream (CMake regex: `^` and
# `$` are the start and end of the whole text). EXIT is the expected exit code (default 0).
cmake_minimum_required(VERSION 3.25)

foreach(var COMMAND STDOUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "command_test.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED EXIT)
  set(EXIT 0)
endif()

string(REPLACE "," ";" command "${COMMAND}")
string(JOIN " " shown ${command})
execute_process(COMMAND ${command}
                RESULT_VARIABLE rc
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                TIMEOUT 120)

set(failures "")
if(NOT rc MATCHES "^[0-9]+$")
  # A signal (crash, abort) or the timeout: execute_process gives a description instead.
  string(APPEND failures "  did not exit normally: ${rc}\n")
elseif(NOT rc EQUAL EXIT)
  string(APPEND failures "  exit code ${rc}, expected ${EXIT}\n")
endif()
if(NOT out MATCHES "${STDOUT}")
  string(APPEND failures "  stdout does not match the expected pattern:\n${STDOUT}\n")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  string(APPEND failures "  stderr does not match the expected pattern:\n${STDERR}\n")
endif()

if(failures)
  message(FATAL_ERROR "${shown}\n${failures}--- stdout\n${out}--- stderr\n${err}")
endif()
message(STATUS "${shown}: exit ${rc} and output as expected")
