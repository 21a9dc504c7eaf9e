# The Debian package: `cpack -G DEB` in a build configured with CMAKE_INSTALL_PREFIX=/usr
# (scripts/package does both). Its contents are exactly the install rules; dpkg-shlibdeps
# computes the library dependencies.
set(DRAGOMAN_PACKAGE_MAINTAINER "Dragoman maintainers <maintainers@dragoman.example.org>"
    CACHE STRING "The Maintainer field of the Debian package (Name <address>)")

# Debian's documentation files: copyright and a changelog for this version, compressed as
# policy asks (gzip -n -9: no name or time stamp, so the package is reproducible).
string(TIMESTAMP DRAGOMAN_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(debian/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
    COMMAND gzip -n -9 -c ${CMAKE_CURRENT_BINARY_DIR}/changelog > ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog
    VERBATIM)
add_custom_target(dragoman_changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
install(FILES debian/copyright ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/dragoman)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dragoman)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${DRAGOMAN_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "simultaneous-interpretation channel router")
set(CPACK_PACKAGE_DESCRIPTION
    "Dragoman turns one computer with a multichannel audio interface into the
central unit of a conference interpretation system: it routes the floor and
the interpreters' booths to the language channels (interlock, relay,
auto-floor), protects the interpreters' hearing, and streams every channel to
listeners over RTP, HTTP and Icecast. It comes with a console for the
technician, a listener application, an offline renderer, a benchmark, and a
system service that runs the router at boot.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# Qt's platform plugins for the console's and the listener's windows (not for --headless);
# Janus for WebRTC listeners (--webrtc).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, janus")
# The files under /etc that a technician edits (dpkg keeps their changes on upgrade).
configure_file(debian/conffiles.in ${CMAKE_CURRENT_BINARY_DIR}/conffiles @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst ${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm ${CMAKE_CURRENT_BINARY_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
