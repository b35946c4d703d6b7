#include "cv_shim.h"
extern "C" int cvs_version(void) { return 1; }
