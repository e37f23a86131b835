# The layers of the engine library and the build's checks of them (docs/architecture.md,
# "Layers"): base <- neurons, plasticity, synapses <- backends <- engine <- io <- cli.
# Every layer is a target of its own that sees only its own include dir and those of the
# layers it links, so a source or header that includes a layer above it (or beside it,
# unless linked) fails to compile.

# spikeq_add_layer(<layer> [source...])
#   Defines spikeq_<layer> in the calling folder, with public headers under include/:
#   an OBJECT library of the sources (folded into spikeq::spikeq by core/CMakeLists.txt), or
#   an INTERFACE library when there are none. The caller links the layers below it
#   (target_link_libraries(spikeq_<layer> PUBLIC spikeq_<lower> ...)). Adding a source
#   file to a layer is one line in that layer's call.
#   Then checks every public header (spikeq_check_headers below).
function(spikeq_add_layer layer)
  set(target spikeq_${layer})
  set(include_dir ${CMAKE_CURRENT_SOURCE_DIR}/include)
  if(ARGN)
    add_library(${target} OBJECT ${ARGN})
    target_include_directories(${target} PUBLIC ${include_dir})
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_link_libraries(${target} PRIVATE spikeq_build_options)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${include_dir})
    target_compile_features(${target} INTERFACE cxx_std_20)
  endif()
  # Read by core/CMakeLists.txt, which makes every layer's headers public on spikeq::spikeq.
  set_property(TARGET ${target} PROPERTY SPIKEQ_LAYER_INCLUDE_DIR ${include_dir})
  spikeq_check_headers(${layer} ${include_dir})
endfunction()

# spikeq_check_headers(<layer> <include dir>)
#   Header self-containment and layering: for every header under <include dir>, a
#   generated one-line source that includes it alone, compiled in the OBJECT library
#   spikeq_headers_<layer>, which links spikeq_<layer> and nothing else of spikeq. A header
#   that misses an include, or includes one of a layer it may not see, fails the build.
#   Part of ALL when SPIKEQ_CHECK_HEADERS is ON (the default with tests: one small TU per
#   header); otherwise built only on request (cmake --build ... --target
#   spikeq_headers_<layer>). The sanitizer builds of CI turn it off: they would repeat it.
option(SPIKEQ_CHECK_HEADERS "Build the header self-containment and layering checks"
       ${SPIKEQ_BUILD_TESTS})
function(spikeq_check_headers layer include_dir)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${include_dir} ${include_dir}/*.hpp)
  if(NOT headers)
    return()
  endif()
  set(sources)
  foreach(header IN LISTS headers)
    set(source ${CMAKE_CURRENT_BINARY_DIR}/header_checks/${header}.cpp)
    # Written only when the content changes, so a re-configure rebuilds nothing.
    file(CONFIGURE OUTPUT ${source} CONTENT "#include \"${header}\"\n")
    list(APPEND sources ${source})
  endforeach()
  set(target spikeq_headers_${layer})
  if(SPIKEQ_CHECK_HEADERS)
    add_library(${target} OBJECT ${sources})
  else()
    add_library(${target} OBJECT EXCLUDE_FROM_ALL ${sources})
  endif()
  target_link_libraries(${target} PRIVATE spikeq_${layer} spikeq_build_options)
endfunction()
