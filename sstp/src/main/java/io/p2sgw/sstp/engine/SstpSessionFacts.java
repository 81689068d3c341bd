package io.p2sgw.sstp.engine;

import io.p2sgw.sstp.binding.HashProtocol;
import io.p2sgw.sstp.binding.HlakLayout;

/**
 * What is known about an established SSTP session (for the session registry, logs and metrics; no key material).
 *
 * @param correlationId the client's SSTPCORRELATIONID
 * @param identity the EAP identity the client gave (not authenticated by itself)
 * @param subject the authenticated peer as the EAP method names it (certificate subject / thumbprint)
 * @param clientAddress the IPv4 address from the pool, as an int
 * @param hash the crypto binding's hash protocol
 * @param layout the HLAK layout the client's binding matched
 */
public record SstpSessionFacts(String correlationId, String identity, String subject, int clientAddress,
        HashProtocol hash, HlakLayout layout) {
}
