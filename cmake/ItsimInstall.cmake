# SPDX-License-Identifier: Apache-2.0
# Install rules and the exported CMake package, so that other programs can link itsim's
# libraries: `cmake --install build --prefix DIR` gives
#   DIR/lib/libitsim_<name>.a                 the libraries (static, as built)
#   DIR/include/itsim/<name>/*.hpp            each library's public headers
#   DIR/bin/itsim                             the command-line program
#   DIR/lib/cmake/itsim/itsimConfig.cmake     find_package(itsim CONFIG) -> itsim::<name>
# Only targets declared with itsim_add_library (and the itsim program) are installed: tests,
# benchmarks, fuzzers and test tools are not.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ITSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/itsim)

# Installs library target itsim_<name> (exported as itsim::<name>) and its include/ tree
# (itsim_add_library gives the target the INSTALL_INTERFACE include directory).
function(itsim_install_library name)
  if(NOT ITSIM_INSTALL)
    return()
  endif()
  set_target_properties(itsim_${name} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS itsim_${name} EXPORT itsimTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.hpp")
endfunction()

# The package files: itsimTargets.cmake (the exported libraries), itsimConfig.cmake (finds
# their dependencies, then includes the targets) and itsimConfigVersion.cmake. Call once,
# after every library is declared.
function(itsim_install_package)
  if(NOT ITSIM_INSTALL)
    return()
  endif()
  install(EXPORT itsimTargets NAMESPACE itsim:: DESTINATION ${ITSIM_INSTALL_CMAKEDIR})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/itsimConfig.cmake.in
                                ${PROJECT_BINARY_DIR}/itsimConfig.cmake
                                INSTALL_DESTINATION ${ITSIM_INSTALL_CMAKEDIR})
  # 0.x: a new minor version may change the API, so only the same minor version matches.
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/itsimConfigVersion.cmake
                                   COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/itsimConfig.cmake
                ${PROJECT_BINARY_DIR}/itsimConfigVersion.cmake
          DESTINATION ${ITSIM_INSTALL_CMAKEDIR})
endfunction()
