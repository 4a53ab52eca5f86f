# SPDX-License-Identifier: GPL-3.0-or-later
# The build's identity, fixed at configure time (docs/RELEASE.md, "Versions"):
#   version  the project's VERSION
#   commit   `git rev-parse HEAD` of the source tree, with "-dirty" when tracked files differ
#            from it; a tree without .git (a release tarball) must name its commit in
#            -DSVIDOK_COMMIT=<40 hex digits>, and a build without either fails rather than
#            ship a binary that cannot say where it came from.
# The third part, the build identifier, is the GNU build-id the linker hashes over the finished
# binary (crypto/build_info.h reads it at run time), so it needs nothing here.
set(SVIDOK_COMMIT "" CACHE STRING "Source commit, for builds from a tree without .git")
set(svidok_commit "${SVIDOK_COMMIT}")
if(svidok_commit STREQUAL "")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
                    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
                    OUTPUT_VARIABLE svidok_commit OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE git_rc ERROR_QUIET)
    if(NOT git_rc EQUAL 0)
      set(svidok_commit "")
    else()
      execute_process(COMMAND "${GIT_EXECUTABLE}" diff --quiet HEAD --
                      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" RESULT_VARIABLE dirty_rc)
      if(NOT dirty_rc EQUAL 0)
        string(APPEND svidok_commit "-dirty")
      endif()
    endif()
  endif()
endif()
string(REGEX REPLACE "-dirty$" "" commit_hex "${svidok_commit}")
string(LENGTH "${commit_hex}" commit_len)
if(NOT commit_hex MATCHES "^[0-9a-f]+$" OR NOT commit_len EQUAL 40)
  message(FATAL_ERROR "svidok: no source commit: build from a git checkout, or pass "
                      "-DSVIDOK_COMMIT=<the 40-hex commit the tarball was made from>")
endif()
# Re-run when HEAD or its branch moves, so the commit in the binary follows the checkout (the
# "-dirty" mark is as of the last configure).
if(SVIDOK_COMMIT STREQUAL "")
  execute_process(COMMAND "${GIT_EXECUTABLE}" symbolic-ref -q HEAD
                  WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE branch
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  foreach(ref HEAD ${branch})
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --git-path ${ref}
                    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE ref_file
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    get_filename_component(ref_file "${ref_file}" ABSOLUTE BASE_DIR "${CMAKE_SOURCE_DIR}")
    if(EXISTS "${ref_file}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ref_file}")
    endif()
  endforeach()
endif()
message(STATUS "svidok ${PROJECT_VERSION}, commit ${svidok_commit}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/version.h.in"
               "${CMAKE_BINARY_DIR}/generated/svidok_version.h" @ONLY)
