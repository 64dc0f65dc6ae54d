package dev.aepstreaming.xdm;

import org.jspecify.annotations.Nullable;

/**
 * What completes an {@code xdmEntity} into an XDM envelope: the values of the
 * {@code header} and of {@code body.xdmMeta} that AEP requires on every XDM message.
 *
 * @param schemaId the schema's {@code $id}, {@code schemaRef.id} in the envelope
 * @param schemaContentType the schema's content type, {@code schemaRef.contentType}
 * @param imsOrgId the IMS organization id, {@code header.imsOrgId}
 * @param datasetId the dataset the events land in, {@code header.datasetId}
 * @param flowId the dataflow id, {@code header.flowId}
 * @param sourceName the optional {@code header.source.name}
 * @author aep-streaming
 */
public record XdmEnvelopeSettings(@Nullable String schemaId, String schemaContentType, @Nullable String imsOrgId,
		@Nullable String datasetId, @Nullable String flowId, @Nullable String sourceName) {

}
