/**
 * IKEv2 cryptography over JCA (ikev2.md §3, §4, §11): the transforms of our policy as enums with their wire ids and
 * sizes, Diffie-Hellman groups in their IKE encodings, prf+, SKEYSEED and the IKE and CHILD SA keys, SK/SKF
 * protection in both cipher families, and the AUTH octets and signature methods. No protocol state.
 */
package io.p2sgw.ikev2.crypto;
