# SPDX-License-Identifier: Apache-2.0
# Runs a Python test script with the first interpreter of PYTHONS (comma separated) that
# imports h5py, xarray and h5netcdf. Prints "python_test: SKIPPED" (the tests' skip
# pattern) only when no python3 exists; a python3 without the packages runs the script
# anyway, which then fails naming the missing module.
#   cmake -DSCRIPT=... -DARGS=a,b -DPYTHONS=p,q -DWORK_DIR=... [-DWRITER=...] -P python_test.cmake
# With WRITER (results.python_reader), WRITER first writes WORK_DIR/sample.h5 and the
# script gets that file as its only argument.
cmake_minimum_required(VERSION 3.25)

string(REPLACE "," ";" candidates "${PYTHONS}")
find_program(path_python3 python3)
if(path_python3)
  list(APPEND candidates ${path_python3})
endif()
set(python "")
foreach(candidate IN LISTS candidates)
  if(NOT EXISTS "${candidate}")
    continue()
  endif()
  if(python STREQUAL "")
    set(python "${candidate}")
  endif()
  execute_process(COMMAND "${candidate}" -c "import h5py, xarray, h5netcdf, numpy"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(python "${candidate}")
    break()
  endif()
endforeach()
if(python STREQUAL "")
  message("python_test: SKIPPED: no python3 found (install it with scripts/install-deps.sh)")
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
string(REPLACE "," ";" args "${ARGS}")
if(WRITER)
  set(args "${WORK_DIR}/sample.h5")
  execute_process(COMMAND "${WRITER}" ${args} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${WRITER} failed (${rc})")
  endif()
endif()
execute_process(COMMAND "${python}" "${SCRIPT}" ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SCRIPT} failed with ${python} (exit ${rc})")
endif()
