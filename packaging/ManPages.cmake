# Man pages for the four programs, generated at build time by help2man from each program's
# --help and --version, so they cannot drift from the options. Without help2man (or gzip) the
# build goes on without them.
find_program(DRAGOMAN_HELP2MAN help2man)
find_program(DRAGOMAN_GZIP gzip)
if(NOT DRAGOMAN_HELP2MAN OR NOT DRAGOMAN_GZIP)
    message(STATUS "help2man or gzip not found: no man pages")
    set(DRAGOMAN_MAN_PAGES "" CACHE INTERNAL "")
    return()
endif()

set(dragoman_man_names
    "dragoman=simultaneous-interpretation channel router for conference venues"
    "dragoman-listener=receiver for a Dragoman venue's language channels"
    "dragoman-render=render a Dragoman venue offline from WAV inputs and an event script"
    "dragoman-bench=measure what Dragoman's hot paths cost on this machine")
set(man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)
set(man_pages)
foreach(entry IN LISTS dragoman_man_names)
    string(REGEX REPLACE "=.*" "" program "${entry}")
    string(REGEX REPLACE "^[^=]*=" "" summary "${entry}")
    set(page ${man_dir}/${program}.1)
    # Sections --help cannot give (ENVIRONMENT, FILES), where a program has them.
    set(include)
    set(include_file)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/man/${program}.h2m)
        set(include_file ${CMAKE_CURRENT_SOURCE_DIR}/man/${program}.h2m)
        set(include --include=${include_file})
    endif()
    # The Qt programs need no display for --help (offscreen), nor the user's runtime folder;
    # a sanitizer build's leak check at exit must not fail the page.
    add_custom_command(OUTPUT ${page} ${page}.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}/runtime
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${man_dir}/runtime
                ASAN_OPTIONS=detect_leaks=0
                ${DRAGOMAN_HELP2MAN} --no-info --section=1 --name=${summary}
                ${include} --output=${page} $<TARGET_FILE:${program}>
        COMMAND ${DRAGOMAN_GZIP} -n -9 -c ${page} > ${page}.gz
        DEPENDS ${program} ${include_file}
        COMMENT "Man page ${program}(1)"
        VERBATIM)
    list(APPEND man_pages ${page}.gz)
    install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
add_custom_target(dragoman_man_pages ALL DEPENDS ${man_pages})
# The uncompressed pages, for the tests (man -l, --help against the page).
set(DRAGOMAN_MAN_DIR ${man_dir} CACHE INTERNAL "")
