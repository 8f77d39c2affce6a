/*
 * libtorch (DJL's pytorch-native-cpu) carries Intel MKL, which picks its matrix-product kernels by CPU vendor:
 * on an AMD CPU it skips the AVX-512 kernels although the CPU runs them. MKL asks one exported function whether
 * the CPU is Intel's (a workaround known since MKL 2020 dropped MKL_DEBUG_CPU_TYPE: danieldk.eu, "Intel MKL on
 * AMD Zen", 2020). Preloaded, this answer wins, and MKL then chooses by the CPU's feature flags alone.
 * Measured on the AMD EPYC (Zen 4) machines, one thread: libtorch's 1024^3 product 77-95 -> 105-108 GFLOP/s,
 * the d 128 tiny-GPT step 12-15% faster (README, Performance notes). On an Intel CPU it answers what MKL finds.
 * scripts/setup builds it into build/native; environment/frugal.env preloads it (FRUGAL_MKL_INTEL_CPU=0: not).
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
