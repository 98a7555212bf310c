# Every target of ours calls meridian_target_defaults(); third-party headers are SYSTEM.
function(meridian_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wimplicit-fallthrough
                                           -Wno-missing-field-initializers)
  if(MERIDIAN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s std::string concatenation, where no
  # overlap exists (GCC bugs 105329, 105651; fixed in GCC 13). Not a finding in our code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

if(MERIDIAN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Add a library for one component of DESIGN.md section 2. DEPS names the components it may use.
function(meridian_component name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(meridian_${name} STATIC ${ARG_SOURCES})
  target_include_directories(meridian_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  foreach(dep ${ARG_DEPS})
    target_link_libraries(meridian_${name} PUBLIC meridian_${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(meridian_${name} PUBLIC ${ARG_LIBS})
  endif()
  meridian_target_defaults(meridian_${name})
endfunction()

# A GoogleTest executable registered with CTest: meridian_test(name SOURCES ... DEPS ...).
function(meridian_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  foreach(dep ${ARG_DEPS})
    target_link_libraries(${name} PRIVATE meridian_${dep})
  endforeach()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE MERIDIAN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             MERIDIAN_BINARY_DIR="${CMAKE_BINARY_DIR}")
  meridian_target_defaults(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
  if(TARGET meridian_unit_tests)
    add_dependencies(meridian_unit_tests ${name})
  endif()
endfunction()
