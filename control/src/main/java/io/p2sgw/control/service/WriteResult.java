package io.p2sgw.control.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The rendered resource after a PUT, and whether it was created (201) or updated (200). */
public record WriteResult(ObjectNode body, boolean created) {}
