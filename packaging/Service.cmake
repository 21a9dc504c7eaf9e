# The router as a system service (dragoman.service) with its configuration under /etc:
# the venue it runs (a copy of the Tirana venue to edit) and the options file. The unit's
# paths follow the configured install prefix (/usr/bin and /etc for the package). The
# configuration goes to PREFIX/etc, except for the /usr prefix, whose is /etc (GNUInstallDirs):
# only then is its destination absolute, so DESTDIR and `--prefix` keep every other install
# inside its own tree.
set(DRAGOMAN_BINDIR ${CMAKE_INSTALL_FULL_BINDIR})
set(DRAGOMAN_SYSCONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR})
if(CMAKE_INSTALL_FULL_SYSCONFDIR STREQUAL "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SYSCONFDIR}")
    set(sysconf_destination ${CMAKE_INSTALL_SYSCONFDIR})
else()
    set(sysconf_destination ${CMAKE_INSTALL_FULL_SYSCONFDIR})
endif()
configure_file(dragoman.service.in ${CMAKE_CURRENT_BINARY_DIR}/dragoman.service @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/dragoman.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/resources/venues/tirana.json
        DESTINATION ${sysconf_destination}/dragoman RENAME venue.json)
install(FILES dragoman.default DESTINATION ${sysconf_destination}/default
        RENAME dragoman)
