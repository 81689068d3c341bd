package io.p2sgw.control.instance;

import io.p2sgw.control.store.GatewayCaRepository;
import io.p2sgw.control.store.GatewayCaRepository.StoredCa;
import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.GatewayCa;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway CA per store, whatever the number of instances (issue 17): clients get one server root in their
 * package and must be able to connect to every instance. At start each instance makes its data directory's CA the
 * store's, then issues its own server certificate from it ({@link GatewayCa#load}):
 * <ul>
 *   <li>the store has none yet: the data directory's CA (an existing single-instance install) or a new one is
 *       stored; of two instances starting at once on an empty store, both end up with the one stored first;</li>
 *   <li>the store has one and the data directory none: it is written there;</li>
 *   <li>both have one and they differ: refused ({@link SharedStateConflictException}), since clients of one of
 *       them would stop trusting the gateway.</li>
 * </ul>
 * An operator-supplied server identity in the data directory replaces the gateway CA and is left alone.
 */
public final class SharedGatewayCa {
    private static final Logger LOG = LoggerFactory.getLogger(SharedGatewayCa.class);

    private SharedGatewayCa() {}

    public static void shareThroughStore(GatewayCaRepository store, GatewayCa pki, Path pkiDir, String serverName,
                                         String instanceName) {
        if (GatewayCa.hasOperatorIdentity(pkiDir)) {
            return;
        }
        Optional<KeyAndChain> local = pki.readCa(pkiDir);
        Optional<StoredCa> stored = store.get();
        if (stored.isEmpty()) {
            KeyAndChain mine = local.orElseGet(() -> pki.createCa(serverName));
            stored = Optional.of(store.putIfAbsent(new StoredCa(Certificates.toPem(mine.certificate()),
                    Pem.privateKeyToPem(mine.key()), instanceName)));
            if (stored.get().createdBy().equals(instanceName)) {
                LOG.info("the store's gateway CA is {}", mine.certificate().getSubjectX500Principal().getName());
            }
        }
        KeyAndChain shared = parse(stored.get());
        if (local.isEmpty()) {
            pki.writeCa(pkiDir, shared);
            return;
        }
        if (!local.get().certificate().equals(shared.certificate())) {
            throw new SharedStateConflictException("The gateway CA in " + pkiDir.resolve(GatewayCa.CA_CERT) + " ("
                    + local.get().certificate().getSubjectX500Principal().getName() + ", thumbprint "
                    + Certificates.thumbprint(local.get().certificate()) + ") is not the one the store's instances share ("
                    + shared.certificate().getSubjectX500Principal().getName() + ", thumbprint "
                    + Certificates.thumbprint(shared.certificate()) + ", made by " + stored.get().createdBy()
                    + "). Clients trust one of them only. To join this store, move " + GatewayCa.CA_CERT + ", "
                    + GatewayCa.CA_KEY + ", " + GatewayCa.SERVER_CERT + " and " + GatewayCa.SERVER_KEY + " out of " + pkiDir
                    + " (clients of the old CA then need a new package), or give this server a store of its own.");
        }
    }

    private static KeyAndChain parse(StoredCa ca) {
        return new KeyAndChain(Pem.readPrivateKey(ca.privateKeyPem(), Optional.empty()),
                List.of(Certificates.parseAny(ca.certificatePem())));
    }
}
