# SPDX-License-Identifier: Apache-2.0
# results.python_reader: writes the sample results file with WRITER, then runs SCRIPT
# (analysis/examples/read_results.py) on it with the first interpreter of PYTHONS (comma
# separated) that imports h5py, xarray and h5netcdf. Prints "results.python_reader: SKIPPED"
# (the test's skip pattern) only when no python3 exists; a python3 without the packages
# runs the script anyway, which then fails naming the missing module.
#   cmake -DWRITER=... -DSCRIPT=... -DPYTHONS=a,b -DWORK_DIR=... -P python_reader.cmake
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
  message("results.python_reader: SKIPPED: no python3 found (install it with scripts/install-deps.sh)")
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(sample "${WORK_DIR}/sample.h5")
execute_process(COMMAND "${WRITER}" "${sample}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "itsim_write_sample_results failed (${rc})")
endif()
execute_process(COMMAND "${python}" "${SCRIPT}" "${sample}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SCRIPT} failed on ${sample} with ${python} (exit ${rc})")
endif()
