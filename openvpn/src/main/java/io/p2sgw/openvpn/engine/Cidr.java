package io.p2sgw.openvpn.engine;

/** IPv4 CIDR helpers for the push (OpenVPN wants "network netmask"). */
record Cidr(String network, int prefixLength) {
    static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return new Cidr(cidr.strip(), 32);
        }
        int len = Integer.parseInt(cidr.substring(slash + 1).strip());
        return new Cidr(network(cidr.substring(0, slash).strip(), len), len);
    }

    static String mask(int prefixLength) {
        return toDotted(prefixLength == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - prefixLength)));
    }

    static String network(String address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - prefixLength));
        return toDotted(toInt(address) & mask);
    }

    private static int toInt(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int v = 0;
        for (String s : p) {
            v = v << 8 | (Integer.parseInt(s) & 0xFF);
        }
        return v;
    }

    private static String toDotted(int v) {
        return (v >>> 24) + "." + (v >>> 16 & 0xFF) + "." + (v >>> 8 & 0xFF) + "." + (v & 0xFF);
    }
}
