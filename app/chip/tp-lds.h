/* tp-lds.h: the Logical Data Structure of eMRTDs (ICAO 9303 Part 10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files of the eMRTD application, their file identifiers (FID), short
 * file identifiers (SFI) and outer tags (Part 10, 4.6 and 4.7):
 *
 *   EF.COM   011E  SFI 1E  tag 60   LDS version, Unicode version, tag list
 *   EF.SOD   011D  SFI 1D  tag 77   Document Security Object (tp-sod.h)
 *   DG1      0101  SFI 01  tag 61   MRZ
 *   DG2      0102  SFI 02  tag 75   encoded face
 *   DG3..16  0103..0110             tags 63 76 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70
 *   EF.CardAccess  011C (master file)  SET OF SecurityInfo, no outer tag
 *
 * Every parser takes the whole file as read (outer tag included), never
 * reads out of bounds, and fails with a GError in domain TP_ERROR naming
 * the data group, the field (by tag) and what was expected. Bytes after
 * the outer TLV (padding) are ignored. Text is returned as UTF-8: DG11 and
 * DG12 are UTF-8 per Part 10; a field that is not valid UTF-8 is read as
 * ISO 8859-1 (older documents) and flagged.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

#include "tp-face.h"
#include "tp-mrz.h"

G_BEGIN_DECLS

#define TP_LDS_FID_COM          0x011E
#define TP_LDS_FID_SOD          0x011D
#define TP_LDS_FID_CARD_ACCESS  0x011C
#define TP_LDS_FID_DG1          0x0101
#define TP_LDS_FID_DG2          0x0102
#define TP_LDS_FID_DG11         0x010B
#define TP_LDS_FID_DG12         0x010C
#define TP_LDS_FID_DG14         0x010E
#define TP_LDS_FID_DG15         0x010F

#define TP_LDS_TAG_COM 0x60

/* FID of data group dg (1–16): 0x0100 + dg. */
guint16      tp_lds_dg_fid             (guint          dg);
/* Outer tag of data group dg (1–16), 0 for another number. */
guint        tp_lds_dg_tag             (guint          dg);
/* Data group whose outer tag is tag, 0 when none. */
guint        tp_lds_dg_from_tag        (guint          tag);
/* Data group whose FID is fid, 0 when none. */
guint        tp_lds_dg_from_fid        (guint16        fid);
/* Short file identifier of fid (0x1E for EF.COM...), 0 when none. */
guint8       tp_lds_fid_to_sfi         (guint16        fid);
/* "COM", "SOD", "CardAccess", "DG1".."DG16", or NULL. */
const char  *tp_lds_fid_name           (guint16        fid);

/* From the first bytes of a file (at least tag and length: 4 bytes
 * suffice for any file under 64 KiB, 6 in general), the size of the whole
 * TLV: what to read. TP_ERROR_TRUNCATED when head is too short to tell. */
gboolean     tp_lds_file_total_length  (const guint8  *head,
                                        gsize          len,
                                        gsize         *total,
                                        GError       **error);

/* ---- a set of files, by FID ------------------------------------------- */

typedef struct _TpLdsFiles TpLdsFiles;

TpLdsFiles  *tp_lds_files_new          (void);
TpLdsFiles  *tp_lds_files_ref          (TpLdsFiles    *files);
void         tp_lds_files_unref        (TpLdsFiles    *files);
/* Takes a reference to data; NULL removes the file. */
void         tp_lds_files_set          (TpLdsFiles    *files,
                                        guint16        fid,
                                        GBytes        *data);
/* The file or NULL (owned by files). */
GBytes      *tp_lds_files_get          (TpLdsFiles    *files,
                                        guint16        fid);
/* FIDs present, in increasing order (free with g_array_unref; guint16). */
GArray      *tp_lds_files_get_fids     (TpLdsFiles    *files);

/* ---- EF.COM ------------------------------------------------------------- */

/**
 * TpLdsCom:
 * @lds_version: "1.7" from 5F01 "0107"
 * @unicode_version: "4.0.0" from 5F36 "040000"
 * @tags: tag list 5C (guint): the outer tags of the data groups present
 * @dgs: the same as data group numbers (guint), tags that name no data
 *   group left out
 */
typedef struct {
  char   *lds_version;
  char   *unicode_version;
  GArray *tags;
  GArray *dgs;
} TpLdsCom;

TpLdsCom    *tp_lds_com_parse          (const guint8  *data,
                                        gsize          len,
                                        GError       **error);
void         tp_lds_com_free           (TpLdsCom      *com);
gboolean     tp_lds_com_has_dg         (const TpLdsCom *com,
                                        guint          dg);

/* ---- DG1 ---------------------------------------------------------------- */

/**
 * TpLdsDg1:
 * @text: the MRZ as stored in 5F1F (no line breaks: 90, 72 or 88 chars)
 * @mrz: parsed with tp_mrz_parse(); its check-digit findings are in
 *   @mrz->errors (a DG1 with a wrong check digit still parses)
 */
typedef struct {
  char   *text;
  TpMrz  *mrz;
} TpLdsDg1;

/* reference: the day the MRZ dates resolve against (NULL: today). */
TpLdsDg1    *tp_lds_dg1_parse          (const guint8  *data,
                                        gsize          len,
                                        const GDate   *reference,
                                        GError       **error);
void         tp_lds_dg1_free           (TpLdsDg1      *dg1);

/* ---- DG2 ---------------------------------------------------------------- */

/**
 * TpLdsFace:
 * @instance: which biometric information template (7F60), from 0
 * @format_owner: BHT 87, 0x0101 for ISO/IEC JTC 1/SC 37 (0 if absent)
 * @format_type: BHT 88, 0x0008 for ISO/IEC 19794-5 (0 if absent)
 * @biometric_type: BHT 81, 2 for face (-1 if absent)
 * @record_version: "010" for ISO/IEC 19794-5:2005; "" when the block is
 *   not a 19794-5 record (ISO/IEC 39794-5, 7F2E: image found by scanning)
 * @n_feature_points: from the facial information block
 * @gender: 0 unspecified, 1 male, 2 female, 0xFF unknown
 * @eye_colour: 19794-5 code
 * @hair_colour: 19794-5 code
 * @expression: 19794-5 code
 * @face_image_type: 0 basic, 1 full frontal, 2 token frontal
 * @image_data_type: 0 JPEG, 1 JPEG 2000 (as the header says)
 * @header_width: width the 19794-5 image information declares
 * @header_height: height it declares
 * @colour_space: 19794-5 code
 * @source_type: 19794-5 code
 * @format: the image's own format, from its first bytes
 * @width: from the image's own header when it can be read, else the
 *   19794-5 values
 * @height: likewise
 * @image: the image bytes (a slice of the input)
 */
typedef struct {
  guint         instance;
  guint16       format_owner;
  guint16       format_type;
  gint          biometric_type;
  char          record_version[4];
  guint         n_feature_points;
  guint         gender;
  guint         eye_colour;
  guint         hair_colour;
  guint         expression;
  guint         face_image_type;
  guint         image_data_type;
  guint         header_width;
  guint         header_height;
  guint         colour_space;
  guint         source_type;
  TpFaceFormat  format;
  guint         width;
  guint         height;
  GBytes       *image;
} TpLdsFace;

/**
 * TpLdsDg2:
 * @faces: #TpLdsFace * in file order (at least one)
 */
typedef struct {
  GPtrArray *faces;
} TpLdsDg2;

TpLdsDg2    *tp_lds_dg2_parse          (const guint8  *data,
                                        gsize          len,
                                        GError       **error);
void         tp_lds_dg2_free           (TpLdsDg2      *dg2);

void         tp_lds_face_free          (TpLdsFace     *face);

/* Parses one ISO/IEC 19794-5:2005 facial record ('FAC\0', '010\0', ...)
 * into faces (TpLdsFace *, free with tp_lds_face_free()), appended.
 * instance: the template number to record in each face. */
gboolean     tp_lds_parse_facial_record (const guint8 *data,
                                         gsize         len,
                                         guint         instance,
                                         GPtrArray    *faces,
                                         GError      **error);

/* ---- DG11: additional personal details ---------------------------------- */

/**
 * TpLdsDg11:
 * @full_name: 5F0E as stored ("NGUYỄN<<VĂN<AN"), or NULL
 * @primary_identifier: the part before "<<", '<' as spaces, or NULL
 * @secondary_identifier: the part after "<<", '<' as spaces, or NULL
 * @other_names: 5F0F entries (char *), '<' kept
 * @personal_number: 5F10, or NULL
 * @birth_date: 5F2B as "YYYYMMDD" (4-byte BCD forms are converted), or NULL
 * @birth_date_iso: "YYYY-MM-DD" when @birth_date is a real date, else NULL
 * @place_of_birth: 5F11 ('<' between parts kept), or NULL
 * @address: 5F42, or NULL
 * @telephone: 5F12, or NULL
 * @profession: 5F13, or NULL
 * @title: 5F14, or NULL
 * @personal_summary: 5F15, or NULL
 * @proof_of_citizenship: 5F16 (an image), or NULL
 * @other_td_numbers: 5F17, or NULL
 * @custody_information: 5F18, or NULL
 * @latin1: some text field was not UTF-8 and was read as ISO 8859-1
 */
typedef struct {
  char       *full_name;
  char       *primary_identifier;
  char       *secondary_identifier;
  GPtrArray  *other_names;
  char       *personal_number;
  char       *birth_date;
  char       *birth_date_iso;
  char       *place_of_birth;
  char       *address;
  char       *telephone;
  char       *profession;
  char       *title;
  char       *personal_summary;
  GBytes     *proof_of_citizenship;
  char       *other_td_numbers;
  char       *custody_information;
  gboolean    latin1;
} TpLdsDg11;

TpLdsDg11   *tp_lds_dg11_parse         (const guint8  *data,
                                        gsize          len,
                                        GError       **error);
void         tp_lds_dg11_free          (TpLdsDg11     *dg11);

/* ---- DG12: additional document details ---------------------------------- */

/**
 * TpLdsDg12:
 * @issuing_authority: 5F19, or NULL
 * @date_of_issue: 5F26 "YYYYMMDD" (BCD converted), or NULL
 * @date_of_issue_iso: "YYYY-MM-DD" when a real date, else NULL
 * @other_persons: 5F1A entries (char *)
 * @endorsements: 5F1B, or NULL
 * @tax_exit_requirements: 5F1C, or NULL
 * @front_image: 5F1D, or NULL
 * @rear_image: 5F1E, or NULL
 * @personalization_time: 5F55 "YYYYMMDDhhmmss" (BCD converted), or NULL
 * @personalization_serial: 5F56, or NULL
 * @latin1: as for DG11
 */
typedef struct {
  char       *issuing_authority;
  char       *date_of_issue;
  char       *date_of_issue_iso;
  GPtrArray  *other_persons;
  char       *endorsements;
  char       *tax_exit_requirements;
  GBytes     *front_image;
  GBytes     *rear_image;
  char       *personalization_time;
  char       *personalization_serial;
  gboolean    latin1;
} TpLdsDg12;

TpLdsDg12   *tp_lds_dg12_parse         (const guint8  *data,
                                        gsize          len,
                                        GError       **error);
void         tp_lds_dg12_free          (TpLdsDg12     *dg12);

/* ---- DG14 and EF.CardAccess -------------------------------------------
 * SecurityInfos are parsed and encoded by tp-chip-auth.h
 * (tp_security_infos_parse() takes DG14 with its 6E wrapper or a bare
 * SET) and tp-pace.h (tp_pace_parse_card_access()). */

/* ---- DG15: Active Authentication public key ----------------------------- */

/**
 * TpLdsDg15:
 * @public_key: the SubjectPublicKeyInfo decoded (RSA or EC)
 * @spki: the SubjectPublicKeyInfo DER as stored
 */
typedef struct {
  EVP_PKEY *public_key;
  GBytes   *spki;
} TpLdsDg15;

TpLdsDg15   *tp_lds_dg15_parse         (const guint8  *data,
                                        gsize          len,
                                        GError       **error);
void         tp_lds_dg15_free          (TpLdsDg15     *dg15);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsFiles, tp_lds_files_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsCom, tp_lds_com_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsDg1, tp_lds_dg1_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsFace, tp_lds_face_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsDg2, tp_lds_dg2_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsDg11, tp_lds_dg11_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsDg12, tp_lds_dg12_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdsDg15, tp_lds_dg15_free)

G_END_DECLS
