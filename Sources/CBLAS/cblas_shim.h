// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
// Declared by OpenBLAS's cblas.h; repeated here for other CBLAS headers.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
