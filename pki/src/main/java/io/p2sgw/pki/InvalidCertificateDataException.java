package io.p2sgw.pki;

/**
 * Certificate data that is not what it must be, e.g. a {@code publicCertData} value with a line break,
 * a space, PEM armour or garbage (azure-p2s.md §2.3). The API maps it to Azure's
 * "Data for certificate ... is invalid." error; the message says precisely what is wrong.
 */
public class InvalidCertificateDataException extends PkiException {
    public InvalidCertificateDataException(String message) {
        super(message);
    }

    public InvalidCertificateDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
