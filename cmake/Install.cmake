# Installs spikeq as a CMake package: find_package(spikeq) gives spikeq::spikeq.
include(CMakePackageConfigHelpers)

install(TARGETS spikeq spikeq_io spikeq_build_options EXPORT spikeqTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

foreach(module core/base core/engine neurons synapses plasticity backends io)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${module}/include/spikeq
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()

install(EXPORT spikeqTargets NAMESPACE spikeq::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spikeq)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/spikeqConfig.cmake.in
  ${PROJECT_BINARY_DIR}/spikeqConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spikeq)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spikeqConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spikeqConfig.cmake
              ${PROJECT_BINARY_DIR}/spikeqConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spikeq)
