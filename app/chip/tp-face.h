/* tp-face.h: face images of eMRTDs (DG2): format sniffing, header probing,
 * JPEG 2000 decoding and encoding with OpenJPEG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DG2 carries the face as a JPEG (ISO/IEC 10918), a JPEG 2000 file (JP2,
 * ISO/IEC 15444-1 Annex I: the 12-byte signature box 0000000C 6A502020
 * 0D0A870A) or a raw JPEG 2000 codestream (J2K: SOC FF4F then SIZ FF51).
 * gdk-pixbuf decodes JPEG, so only JPEG 2000 is decoded here.
 *
 * Everything here reads hostile data: the probe reads headers only and
 * never allocates from a declared size; the decoder refuses images larger
 * than its limits before OpenJPEG allocates anything, and reports
 * OpenJPEG's errors as GErrors.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_FACE_FORMAT_UNKNOWN,
  TP_FACE_FORMAT_JPEG,
  TP_FACE_FORMAT_JP2,   /* JPEG 2000 file format */
  TP_FACE_FORMAT_J2K,   /* raw JPEG 2000 codestream */
} TpFaceFormat;

/* Default decoder limit on width and on height: faces in travel documents
 * are a few hundred pixels wide (ICAO 9303 Part 10 recommends at least 240
 * between the eye centres' surroundings), so 4096 leaves ample room. */
#define TP_FACE_DEFAULT_MAX_DIMENSION 4096

/**
 * TpFaceInfo:
 * @format: the container, from the first bytes
 * @width: pixels (JPEG: SOF; JP2: ihdr; J2K: SIZ, minus the image offset)
 * @height: pixels
 * @components: colour components (1 grey, 3 colour, 4 with alpha or CMYK)
 * @bits: bits per sample of the first component
 * @tiles: JPEG 2000 tiles in the codestream (1 for JPEG)
 */
typedef struct {
  TpFaceFormat format;
  guint        width;
  guint        height;
  guint        components;
  guint        bits;
  guint        tiles;
} TpFaceInfo;

/**
 * TpFaceImage:
 * @width: pixels
 * @height: pixels
 * @n_channels: 3 (RGB) or 4 (RGBA), 8 bits each
 * @rowstride: bytes per row (width × n_channels)
 * @pixels: rows top to bottom; hand to gdk_memory_texture_new() as
 *   GDK_MEMORY_R8G8B8 or GDK_MEMORY_R8G8B8A8
 */
typedef struct {
  guint   width;
  guint   height;
  guint   n_channels;
  gsize   rowstride;
  GBytes *pixels;
} TpFaceImage;

/* The format from the first bytes, TP_FACE_FORMAT_UNKNOWN if none fits. */
TpFaceFormat  tp_face_sniff_format       (const guint8  *data,
                                          gsize          len);

/* "jpeg", "jpeg2000" (for JP2 and J2K alike, as the CLI reports it) or
 * "unknown". */
const char   *tp_face_format_to_string   (TpFaceFormat   format);

/* "jpeg", "jp2", "j2k" or "unknown": the container, for file names. */
const char   *tp_face_format_to_extension (TpFaceFormat  format);

/* Reads the image's own header (no pixel data): dimensions, components,
 * bits. Fails with TP_ERROR_INVALID_INPUT / TP_ERROR_TRUNCATED when the
 * header is missing or cut. */
gboolean      tp_face_probe              (const guint8  *data,
                                          gsize          len,
                                          TpFaceInfo    *info,
                                          GError       **error);

/* Decodes a JP2 file or a J2K codestream to 8-bit RGB or RGBA.
 * max_dimension: largest width and height accepted (0: the default); the
 * header is checked before decoding, so a hostile size costs nothing.
 * JPEG input fails with TP_ERROR_UNSUPPORTED (use gdk-pixbuf). */
TpFaceImage  *tp_face_decode             (const guint8  *data,
                                          gsize          len,
                                          guint          max_dimension,
                                          GError       **error);
void          tp_face_image_free         (TpFaceImage   *image);

/* Encodes 8-bit pixels (n_channels 1 grey or 3 RGB, rows packed) as a
 * JP2 file or J2K codestream of about target_bytes (lossy, one quality
 * layer); target_bytes 0 means lossless. For test documents and demos. */
GBytes       *tp_face_encode_jpeg2000    (const guint8  *pixels,
                                          guint          width,
                                          guint          height,
                                          guint          n_channels,
                                          TpFaceFormat   format,
                                          gsize          target_bytes,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFaceImage, tp_face_image_free)

G_END_DECLS
