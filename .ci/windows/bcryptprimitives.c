/* Test harness only, never shipped: Wine 8.0 (Debian 12) has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's standard library calls for random bytes on Windows 10 and later, so
 * every Rust program fails to start under it. This stand-in gives ProcessPrng by asking
 * bcrypt.dll, which Wine has, for the system's random numbers. .ci/windows-test builds it
 * with mingw-w64 into the test's own Wine prefix. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
