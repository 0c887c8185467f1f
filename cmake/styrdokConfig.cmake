# styrdokConfig.cmake - find_package(styrdok) for an installed libstyrdok.
# Targets: styrdok::styrdok (the shared library) and styrdok::styrdok_static,
# which also needs ICU, PCRE2, jansson, Nettle and threads: their
# pkg-config modules are found here, as the build found them.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::ICU)
  pkg_check_modules(ICU QUIET REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
endif()
if(NOT TARGET PkgConfig::PCRE2)
  pkg_check_modules(PCRE2 QUIET REQUIRED IMPORTED_TARGET libpcre2-8)
endif()
if(NOT TARGET PkgConfig::JANSSON)
  pkg_check_modules(JANSSON QUIET REQUIRED IMPORTED_TARGET jansson)
endif()
if(NOT TARGET PkgConfig::NETTLE)
  pkg_check_modules(NETTLE QUIET REQUIRED IMPORTED_TARGET nettle)
endif()
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/styrdokTargets.cmake")
