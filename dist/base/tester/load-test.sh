#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# load-test HOST: the traffic of one analysis round (the rollout hook of a
# Canary): the SLOs are measured on these requests. One minute, two workers at
# 10 requests per second each, against HOST = <service>-canary.
exec hey -z 1m -q 10 -c 2 "http://${1:?usage: load-test HOST}/"
