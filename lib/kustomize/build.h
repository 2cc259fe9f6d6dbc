/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build pipeline (build.c) implements ga_kust_build() of the public
 * header; this header only ties the internal pieces together.
 */
#ifndef GA_KUSTOMIZE_BUILD_H
#define GA_KUSTOMIZE_BUILD_H

#include "ga/kustomize.h"

#endif
