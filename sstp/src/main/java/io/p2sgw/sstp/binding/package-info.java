/**
 * SSTP crypto binding ([MS-SSTP] 3.2.5.2; sstp.md §3): HLAK layouts from the EAP MSK, CMK, Compound MAC, and the
 * verification of CALL_CONNECTED against the nonce, the offered hashes and this TLS session's certificate.
 */
package io.p2sgw.sstp.binding;
