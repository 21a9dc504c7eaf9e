# The router as a system service (dragoman.service) with its configuration under /etc:
# the venue it runs (a copy of the Tirana venue to edit) and the options file. The unit's
# paths follow the install prefix (/usr/bin and /etc for the package).
set(DRAGOMAN_BINDIR ${CMAKE_INSTALL_FULL_BINDIR})
set(DRAGOMAN_SYSCONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR})
configure_file(dragoman.service.in ${CMAKE_CURRENT_BINARY_DIR}/dragoman.service @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/dragoman.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/resources/venues/tirana.json
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/dragoman RENAME venue.json)
install(FILES dragoman.default DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default
        RENAME dragoman)
