# Build time (CI builds everything cold on 2 cores; figures in bench/RESULTS.md, "CI time").
# Measured and left out: precompiled headers (with -g, GCC's 135 MB .gch of std + fmt + json
# cost every small source ~0.7 s CPU to load and saved little elsewhere: our expensive sources
# are expensive in code generation, not parsing) and lld (links took the same CPU as GNU ld).

# Trained models (langid, intent): built by their trainers, or, with MERIDIAN_MODELS_FROM set to
# another build's share/meridian folder, copied from that build. scripts/test.sh does this for the
# asan build, which would otherwise train the same deterministic models a second time (the intent
# trainer alone is ~40 s of single-threaded CPU); the asan unit tests then read the dev build's
# models. The trainers' code is still tested under the sanitizers through the libraries.
set(MERIDIAN_MODELS_FROM "" CACHE PATH
    "Copy the trained models from this share/meridian folder of another build instead of training")

# meridian_model(SUBDIR d OUTPUTS files... COMMAND trainer args... DEPENDS ... COMMENT text)
function(meridian_model)
  cmake_parse_arguments(ARG "" "SUBDIR;COMMENT" "OUTPUTS;COMMAND;DEPENDS" ${ARGN})
  if(MERIDIAN_MODELS_FROM)
    set(sources)
    foreach(output ${ARG_OUTPUTS})
      get_filename_component(file ${output} NAME)
      list(APPEND sources ${MERIDIAN_MODELS_FROM}/${ARG_SUBDIR}/${file})
    endforeach()
    add_custom_command(
      OUTPUT ${ARG_OUTPUTS}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${MERIDIAN_SHARE_DIR}/${ARG_SUBDIR}
      COMMAND ${CMAKE_COMMAND} -E copy ${sources} ${MERIDIAN_SHARE_DIR}/${ARG_SUBDIR}/
      DEPENDS ${sources}
      COMMENT "Copying the ${ARG_SUBDIR} model from ${MERIDIAN_MODELS_FROM}"
      VERBATIM)
  else()
    add_custom_command(
      OUTPUT ${ARG_OUTPUTS}
      COMMAND ${ARG_COMMAND}
      DEPENDS ${ARG_DEPENDS}
      COMMENT "${ARG_COMMENT}"
      VERBATIM)
  endif()
endfunction()
