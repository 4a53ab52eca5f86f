# SPDX-License-Identifier: GPL-3.0-or-later
# What `cmake --install` puts where (GNU layout under CMAKE_INSTALL_PREFIX): the binaries, the
# desktop entry, icon, AppStream metainfo and bash completion from packaging/, and the user
# docs. scripts/package builds the Debian package from this (docs/RELEASE.md); man pages are
# made there by help2man from the installed binaries' --help.
include(GNUInstallDirs)
set(pkg "${CMAKE_SOURCE_DIR}/packaging")
install(TARGETS svidok-cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${pkg}/svidok-cli.bash-completion"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME svidok-cli)
install(FILES docs/VERIFYING.md docs/SECURITY.md docs/RELEASE.md
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
if(SVIDOK_BUILD_APP)
  install(TARGETS svidok RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  install(FILES "${pkg}/org.svidok.Svidok.desktop"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
  install(FILES "${pkg}/org.svidok.Svidok.metainfo.xml"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
  install(FILES "${pkg}/icons/svidok.svg"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
          RENAME org.svidok.Svidok.svg)
  foreach(size 48 128 256)
    install(FILES "${pkg}/icons/svidok-${size}.png"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
            RENAME org.svidok.Svidok.png)
  endforeach()
endif()
