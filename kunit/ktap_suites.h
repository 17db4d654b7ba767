/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The suites kunit/ktap.c runs without CONFIG_KUNIT, in KTAP order: every
 * kunit_test_suite() of kunit/ (the runners compare the KTAP plan with
 * the suites the repository defines, so one left out fails them).
 */
KSLAB_SUITE(boot_test_suite)
KSLAB_SUITE(geometry_test_suite)
KSLAB_SUITE(size_test_suite)
KSLAB_SUITE(slab_test_suite)
KSLAB_SUITE(api_test_suite)
KSLAB_SUITE(gfp_test_suite)
KSLAB_SUITE(cache_test_suite)
KSLAB_SUITE(buckets_test_suite)
KSLAB_SUITE(debug_test_suite)
KSLAB_SUITE(interop_test_suite)
KSLAB_SUITE(dynamics_test_suite)
KSLAB_SUITE(misuse_test_suite)
KSLAB_SUITE(torture_test_suite)
KSLAB_SUITE(bench_test_suite)
