#ifndef CV_SHIM_H
#define CV_SHIM_H
#ifdef __cplusplus
extern "C" {
#endif
int cvs_version(void);
#ifdef __cplusplus
}
#endif
#endif
