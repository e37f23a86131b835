# Fails when a file that must not use oneTBB or Boost includes them (tests/layers). Called
# by CTest with -DSOURCE_DIR.
set(globs
  # the layers below synapses, sources and headers
  core/base/*.hpp core/base/*.cpp neurons/*.hpp plasticity/*.hpp plasticity/*.cpp
  # every public header of spikeq::spikeq
  core/engine/include/*.hpp synapses/include/*.hpp backends/include/*.hpp)
set(bad)
foreach(glob IN LISTS globs)
  file(GLOB_RECURSE files ${SOURCE_DIR}/${glob})
  foreach(file IN LISTS files)
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](tbb|oneapi|boost)/")
    foreach(line IN LISTS lines)
      string(STRIP "${line}" line)
      file(RELATIVE_PATH rel ${SOURCE_DIR} ${file})
      list(APPEND bad "${rel}: ${line}")
    endforeach()
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n  " text)
  message(FATAL_ERROR "oneTBB or Boost included below the layers that may use them:\n  ${text}")
endif()
message(STATUS "no oneTBB or Boost include in base, neurons, plasticity or public headers")
