// The -march flag for the native kernels. The addon is built from source on the machine that
// runs it, so by default it uses every instruction that machine has (AVX-512 here); set
// MAXPOOLBERT_NATIVE_MARCH (e.g. "x86-64-v3") to build for other machines.
const march = process.env.MAXPOOLBERT_NATIVE_MARCH ?? 'native';
process.stdout.write(/^[\w.+-]+$/.test(march) ? `-march=${march}` : '-march=native');
