package io.p2sgw.ikev2.wire;

/**
 * One configuration attribute (RFC 7296 §3.15.1; ikev2.md §1.14). A request carries empty values; the type is 15
 * bits (the top bit is reserved and ignored on input).
 */
public record ConfigAttribute(int type, byte[] value) {
    public static final int INTERNAL_IP4_ADDRESS = 1;
    public static final int INTERNAL_IP4_NETMASK = 2;
    public static final int INTERNAL_IP4_DNS = 3;
    public static final int INTERNAL_IP4_NBNS = 4;
    public static final int INTERNAL_ADDRESS_EXPIRY = 5;
    public static final int INTERNAL_IP4_DHCP = 6;
    public static final int APPLICATION_VERSION = 7;
    public static final int INTERNAL_IP6_ADDRESS = 8;
    public static final int INTERNAL_IP6_DNS = 10;
    public static final int INTERNAL_IP4_SUBNET = 13;
    public static final int SUPPORTED_ATTRIBUTES = 14;
    public static final int INTERNAL_IP6_SUBNET = 15;
    /** RFC 8598 split DNS. */
    public static final int INTERNAL_DNS_DOMAIN = 25;
    /** Microsoft-private; their presence marks a Windows client (ikev2.md §1.14, §2.4). */
    public static final int MS_INTERNAL_IP4_SERVER = 23456;
    public static final int MS_INTERNAL_IP6_SERVER = 23457;
    /** Type(2) + Length(2). */
    static final int FIXED = 4;

    public ConfigAttribute {
        value = value.clone();
        if (type < 0 || type > 0x7FFF || value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute field out of range");
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
