package io.p2sgw.control.clientpackage;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A strict reader of Apple XML property lists (PropertyList-1.0.dtd) for tests: the JDK's XML parser checks
 * well-formedness, this class checks the plist structure the DTD defines — {@code plist} with one value; a
 * {@code dict} is {@code key}/value pairs with unique keys; values are {@code string}, {@code integer},
 * {@code real}, {@code date}, {@code data}, {@code true}, {@code false}, {@code array}, {@code dict}; integers,
 * dates and Base-64 data are well-formed. Returns plain Java values (Map, List, String, BigInteger, Double,
 * Instant, byte[], Boolean). Never fetches the DTD.
 */
final class Plist {
    static final String PUBLIC_ID = "-//Apple//DTD PLIST 1.0//EN";
    static final String SYSTEM_ID = "http://www.apple.com/DTDs/PropertyList-1.0.dtd";

    private Plist() {
    }

    static Object parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                throw e;
            }
        });
        Document doc = b.parse(new ByteArrayInputStream(xml));
        if (doc.getDoctype() == null || !PUBLIC_ID.equals(doc.getDoctype().getPublicId())
                || !SYSTEM_ID.equals(doc.getDoctype().getSystemId()) || !"plist".equals(doc.getDoctype().getName())) {
            throw new IllegalArgumentException("missing or wrong <!DOCTYPE plist PUBLIC \"" + PUBLIC_ID + "\" ...>");
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("plist") || !"1.0".equals(root.getAttribute("version"))) {
            throw new IllegalArgumentException("root element must be <plist version=\"1.0\">");
        }
        List<Element> values = children(root);
        if (values.size() != 1) {
            throw new IllegalArgumentException("<plist> must hold exactly one value, not " + values.size());
        }
        return value(values.getFirst());
    }

    private static Object value(Element e) {
        String text = e.getTextContent();
        return switch (e.getTagName()) {
            case "dict" -> dict(e);
            case "array" -> children(e).stream().map(Plist::value).toList();
            case "string" -> leaf(e, text);
            case "integer" -> {
                leaf(e, text);
                if (!text.matches("[+-]?[0-9]+")) {
                    throw new IllegalArgumentException("<integer> is not an integer: " + text);
                }
                yield new BigInteger(text);
            }
            case "real" -> Double.parseDouble(leaf(e, text));
            case "date" -> {
                if (!leaf(e, text).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")) {
                    throw new IllegalArgumentException("<date> is not ISO 8601 UTC: " + text);
                }
                yield Instant.parse(text);
            }
            case "data" -> Base64.getMimeDecoder().decode(strictBase64(leaf(e, text)));
            case "true", "false" -> {
                if (e.hasChildNodes()) {
                    throw new IllegalArgumentException("<" + e.getTagName() + "/> must be empty");
                }
                yield e.getTagName().equals("true");
            }
            default -> throw new IllegalArgumentException("<" + e.getTagName() + "> is not a plist value");
        };
    }

    private static Map<String, Object> dict(Element e) {
        List<Element> items = children(e);
        if (items.size() % 2 != 0) {
            throw new IllegalArgumentException("<dict> has a key without a value");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            Element k = items.get(i);
            if (!k.getTagName().equals("key")) {
                throw new IllegalArgumentException("<dict> expected <key>, found <" + k.getTagName() + ">");
            }
            String key = leaf(k, k.getTextContent());
            if (items.get(i + 1).getTagName().equals("key")) {
                throw new IllegalArgumentException("<key>" + key + "</key> has no value");
            }
            if (map.put(key, value(items.get(i + 1))) != null) {
                throw new IllegalArgumentException("duplicate <key>" + key + "</key>");
            }
        }
        return map;
    }

    /** Element children; any non-whitespace text between them is an error (the DTD has no mixed content). */
    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE -> out.add((Element) n);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (!n.getNodeValue().isBlank()) {
                        throw new IllegalArgumentException("stray text in <" + e.getTagName() + ">: " + n.getNodeValue().strip());
                    }
                }
                case Node.COMMENT_NODE -> { }
                default -> throw new IllegalArgumentException("unexpected node in <" + e.getTagName() + ">");
            }
        }
        return out;
    }

    private static String leaf(Element e, String text) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                throw new IllegalArgumentException("<" + e.getTagName() + "> must hold text only");
            }
        }
        return text;
    }

    private static String strictBase64(String text) {
        String compact = text.replaceAll("\\s", "");
        if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 != 0) {
            throw new IllegalArgumentException("<data> is not Base-64");
        }
        return compact;
    }
}
