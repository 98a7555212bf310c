// Empty: the source the precompiled-header donor targets compile (cmake/BuildSpeed.cmake).
