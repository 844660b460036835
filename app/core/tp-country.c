/* tp-country.c: the one table of country and nationality codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ISO 3166-1 rows follow the ISO 3166-1 list as Debian's iso-codes
 * 4.15 ships it (/usr/share/iso-codes/json/iso_3166-1.json, common names
 * where it gives one); the other rows are ICAO 9303 Part 3's codes, RKS and
 * UTO (see tp-country.h). Rows are sorted by code for a binary search;
 * test-country checks the order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tp-country.h"

static const TpCountry countries[] = {
  { "ABW", "ABW", "AW", TP_COUNTRY_STATE, "Aruba" },
  { "AFG", "AFG", "AF", TP_COUNTRY_STATE, "Afghanistan" },
  { "AGO", "AGO", "AO", TP_COUNTRY_STATE, "Angola" },
  { "AIA", "AIA", "AI", TP_COUNTRY_STATE, "Anguilla" },
  { "ALA", "ALA", "AX", TP_COUNTRY_STATE, "Åland Islands" },
  { "ALB", "ALB", "AL", TP_COUNTRY_STATE, "Albania" },
  { "AND", "AND", "AD", TP_COUNTRY_STATE, "Andorra" },
  { "ARE", "ARE", "AE", TP_COUNTRY_STATE, "United Arab Emirates" },
  { "ARG", "ARG", "AR", TP_COUNTRY_STATE, "Argentina" },
  { "ARM", "ARM", "AM", TP_COUNTRY_STATE, "Armenia" },
  { "ASM", "ASM", "AS", TP_COUNTRY_STATE, "American Samoa" },
  { "ATA", "ATA", "AQ", TP_COUNTRY_STATE, "Antarctica" },
  { "ATF", "ATF", "TF", TP_COUNTRY_STATE, "French Southern Territories" },
  { "ATG", "ATG", "AG", TP_COUNTRY_STATE, "Antigua and Barbuda" },
  { "AUS", "AUS", "AU", TP_COUNTRY_STATE, "Australia" },
  { "AUT", "AUT", "AT", TP_COUNTRY_STATE, "Austria" },
  { "AZE", "AZE", "AZ", TP_COUNTRY_STATE, "Azerbaijan" },
  { "BDI", "BDI", "BI", TP_COUNTRY_STATE, "Burundi" },
  { "BEL", "BEL", "BE", TP_COUNTRY_STATE, "Belgium" },
  { "BEN", "BEN", "BJ", TP_COUNTRY_STATE, "Benin" },
  { "BES", "BES", "BQ", TP_COUNTRY_STATE, "Bonaire, Sint Eustatius and Saba" },
  { "BFA", "BFA", "BF", TP_COUNTRY_STATE, "Burkina Faso" },
  { "BGD", "BGD", "BD", TP_COUNTRY_STATE, "Bangladesh" },
  { "BGR", "BGR", "BG", TP_COUNTRY_STATE, "Bulgaria" },
  { "BHR", "BHR", "BH", TP_COUNTRY_STATE, "Bahrain" },
  { "BHS", "BHS", "BS", TP_COUNTRY_STATE, "Bahamas" },
  { "BIH", "BIH", "BA", TP_COUNTRY_STATE, "Bosnia and Herzegovina" },
  { "BLM", "BLM", "BL", TP_COUNTRY_STATE, "Saint Barthélemy" },
  { "BLR", "BLR", "BY", TP_COUNTRY_STATE, "Belarus" },
  { "BLZ", "BLZ", "BZ", TP_COUNTRY_STATE, "Belize" },
  { "BMU", "BMU", "BM", TP_COUNTRY_STATE, "Bermuda" },
  { "BOL", "BOL", "BO", TP_COUNTRY_STATE, "Bolivia" },
  { "BRA", "BRA", "BR", TP_COUNTRY_STATE, "Brazil" },
  { "BRB", "BRB", "BB", TP_COUNTRY_STATE, "Barbados" },
  { "BRN", "BRN", "BN", TP_COUNTRY_STATE, "Brunei Darussalam" },
  { "BTN", "BTN", "BT", TP_COUNTRY_STATE, "Bhutan" },
  { "BVT", "BVT", "BV", TP_COUNTRY_STATE, "Bouvet Island" },
  { "BWA", "BWA", "BW", TP_COUNTRY_STATE, "Botswana" },
  { "CAF", "CAF", "CF", TP_COUNTRY_STATE, "Central African Republic" },
  { "CAN", "CAN", "CA", TP_COUNTRY_STATE, "Canada" },
  { "CCK", "CCK", "CC", TP_COUNTRY_STATE, "Cocos (Keeling) Islands" },
  { "CHE", "CHE", "CH", TP_COUNTRY_STATE, "Switzerland" },
  { "CHL", "CHL", "CL", TP_COUNTRY_STATE, "Chile" },
  { "CHN", "CHN", "CN", TP_COUNTRY_STATE, "China" },
  { "CIV", "CIV", "CI", TP_COUNTRY_STATE, "Côte d'Ivoire" },
  { "CMR", "CMR", "CM", TP_COUNTRY_STATE, "Cameroon" },
  { "COD", "COD", "CD", TP_COUNTRY_STATE, "Congo, The Democratic Republic of the" },
  { "COG", "COG", "CG", TP_COUNTRY_STATE, "Congo" },
  { "COK", "COK", "CK", TP_COUNTRY_STATE, "Cook Islands" },
  { "COL", "COL", "CO", TP_COUNTRY_STATE, "Colombia" },
  { "COM", "COM", "KM", TP_COUNTRY_STATE, "Comoros" },
  { "CPV", "CPV", "CV", TP_COUNTRY_STATE, "Cabo Verde" },
  { "CRI", "CRI", "CR", TP_COUNTRY_STATE, "Costa Rica" },
  { "CUB", "CUB", "CU", TP_COUNTRY_STATE, "Cuba" },
  { "CUW", "CUW", "CW", TP_COUNTRY_STATE, "Curaçao" },
  { "CXR", "CXR", "CX", TP_COUNTRY_STATE, "Christmas Island" },
  { "CYM", "CYM", "KY", TP_COUNTRY_STATE, "Cayman Islands" },
  { "CYP", "CYP", "CY", TP_COUNTRY_STATE, "Cyprus" },
  { "CZE", "CZE", "CZ", TP_COUNTRY_STATE, "Czechia" },
  { "D", "D", "DE", TP_COUNTRY_STATE, "Germany" },
  { "DEU", "D", "DE", TP_COUNTRY_STATE, "Germany" },
  { "DJI", "DJI", "DJ", TP_COUNTRY_STATE, "Djibouti" },
  { "DMA", "DMA", "DM", TP_COUNTRY_STATE, "Dominica" },
  { "DNK", "DNK", "DK", TP_COUNTRY_STATE, "Denmark" },
  { "DOM", "DOM", "DO", TP_COUNTRY_STATE, "Dominican Republic" },
  { "DZA", "DZA", "DZ", TP_COUNTRY_STATE, "Algeria" },
  { "ECU", "ECU", "EC", TP_COUNTRY_STATE, "Ecuador" },
  { "EGY", "EGY", "EG", TP_COUNTRY_STATE, "Egypt" },
  { "ERI", "ERI", "ER", TP_COUNTRY_STATE, "Eritrea" },
  { "ESH", "ESH", "EH", TP_COUNTRY_STATE, "Western Sahara" },
  { "ESP", "ESP", "ES", TP_COUNTRY_STATE, "Spain" },
  { "EST", "EST", "EE", TP_COUNTRY_STATE, "Estonia" },
  { "ETH", "ETH", "ET", TP_COUNTRY_STATE, "Ethiopia" },
  { "EUE", "EUE", "EU", TP_COUNTRY_ORGANISATION, "European Union" },
  { "FIN", "FIN", "FI", TP_COUNTRY_STATE, "Finland" },
  { "FJI", "FJI", "FJ", TP_COUNTRY_STATE, "Fiji" },
  { "FLK", "FLK", "FK", TP_COUNTRY_STATE, "Falkland Islands (Malvinas)" },
  { "FRA", "FRA", "FR", TP_COUNTRY_STATE, "France" },
  { "FRO", "FRO", "FO", TP_COUNTRY_STATE, "Faroe Islands" },
  { "FSM", "FSM", "FM", TP_COUNTRY_STATE, "Micronesia, Federated States of" },
  { "GAB", "GAB", "GA", TP_COUNTRY_STATE, "Gabon" },
  { "GBD", "GBD", NULL, TP_COUNTRY_BRITISH, "British Overseas Territories Citizen" },
  { "GBN", "GBN", NULL, TP_COUNTRY_BRITISH, "British National (Overseas)" },
  { "GBO", "GBO", NULL, TP_COUNTRY_BRITISH, "British Overseas Citizen" },
  { "GBP", "GBP", NULL, TP_COUNTRY_BRITISH, "British Protected Person" },
  { "GBR", "GBR", "GB", TP_COUNTRY_STATE, "United Kingdom" },
  { "GBS", "GBS", NULL, TP_COUNTRY_BRITISH, "British Subject" },
  { "GEO", "GEO", "GE", TP_COUNTRY_STATE, "Georgia" },
  { "GGY", "GGY", "GG", TP_COUNTRY_STATE, "Guernsey" },
  { "GHA", "GHA", "GH", TP_COUNTRY_STATE, "Ghana" },
  { "GIB", "GIB", "GI", TP_COUNTRY_STATE, "Gibraltar" },
  { "GIN", "GIN", "GN", TP_COUNTRY_STATE, "Guinea" },
  { "GLP", "GLP", "GP", TP_COUNTRY_STATE, "Guadeloupe" },
  { "GMB", "GMB", "GM", TP_COUNTRY_STATE, "Gambia" },
  { "GNB", "GNB", "GW", TP_COUNTRY_STATE, "Guinea-Bissau" },
  { "GNQ", "GNQ", "GQ", TP_COUNTRY_STATE, "Equatorial Guinea" },
  { "GRC", "GRC", "GR", TP_COUNTRY_STATE, "Greece" },
  { "GRD", "GRD", "GD", TP_COUNTRY_STATE, "Grenada" },
  { "GRL", "GRL", "GL", TP_COUNTRY_STATE, "Greenland" },
  { "GTM", "GTM", "GT", TP_COUNTRY_STATE, "Guatemala" },
  { "GUF", "GUF", "GF", TP_COUNTRY_STATE, "French Guiana" },
  { "GUM", "GUM", "GU", TP_COUNTRY_STATE, "Guam" },
  { "GUY", "GUY", "GY", TP_COUNTRY_STATE, "Guyana" },
  { "HKG", "HKG", "HK", TP_COUNTRY_STATE, "Hong Kong" },
  { "HMD", "HMD", "HM", TP_COUNTRY_STATE, "Heard Island and McDonald Islands" },
  { "HND", "HND", "HN", TP_COUNTRY_STATE, "Honduras" },
  { "HRV", "HRV", "HR", TP_COUNTRY_STATE, "Croatia" },
  { "HTI", "HTI", "HT", TP_COUNTRY_STATE, "Haiti" },
  { "HUN", "HUN", "HU", TP_COUNTRY_STATE, "Hungary" },
  { "IDN", "IDN", "ID", TP_COUNTRY_STATE, "Indonesia" },
  { "IMN", "IMN", "IM", TP_COUNTRY_STATE, "Isle of Man" },
  { "IND", "IND", "IN", TP_COUNTRY_STATE, "India" },
  { "IOT", "IOT", "IO", TP_COUNTRY_STATE, "British Indian Ocean Territory" },
  { "IRL", "IRL", "IE", TP_COUNTRY_STATE, "Ireland" },
  { "IRN", "IRN", "IR", TP_COUNTRY_STATE, "Iran" },
  { "IRQ", "IRQ", "IQ", TP_COUNTRY_STATE, "Iraq" },
  { "ISL", "ISL", "IS", TP_COUNTRY_STATE, "Iceland" },
  { "ISR", "ISR", "IL", TP_COUNTRY_STATE, "Israel" },
  { "ITA", "ITA", "IT", TP_COUNTRY_STATE, "Italy" },
  { "JAM", "JAM", "JM", TP_COUNTRY_STATE, "Jamaica" },
  { "JEY", "JEY", "JE", TP_COUNTRY_STATE, "Jersey" },
  { "JOR", "JOR", "JO", TP_COUNTRY_STATE, "Jordan" },
  { "JPN", "JPN", "JP", TP_COUNTRY_STATE, "Japan" },
  { "KAZ", "KAZ", "KZ", TP_COUNTRY_STATE, "Kazakhstan" },
  { "KEN", "KEN", "KE", TP_COUNTRY_STATE, "Kenya" },
  { "KGZ", "KGZ", "KG", TP_COUNTRY_STATE, "Kyrgyzstan" },
  { "KHM", "KHM", "KH", TP_COUNTRY_STATE, "Cambodia" },
  { "KIR", "KIR", "KI", TP_COUNTRY_STATE, "Kiribati" },
  { "KNA", "KNA", "KN", TP_COUNTRY_STATE, "Saint Kitts and Nevis" },
  { "KOR", "KOR", "KR", TP_COUNTRY_STATE, "South Korea" },
  { "KWT", "KWT", "KW", TP_COUNTRY_STATE, "Kuwait" },
  { "LAO", "LAO", "LA", TP_COUNTRY_STATE, "Laos" },
  { "LBN", "LBN", "LB", TP_COUNTRY_STATE, "Lebanon" },
  { "LBR", "LBR", "LR", TP_COUNTRY_STATE, "Liberia" },
  { "LBY", "LBY", "LY", TP_COUNTRY_STATE, "Libya" },
  { "LCA", "LCA", "LC", TP_COUNTRY_STATE, "Saint Lucia" },
  { "LIE", "LIE", "LI", TP_COUNTRY_STATE, "Liechtenstein" },
  { "LKA", "LKA", "LK", TP_COUNTRY_STATE, "Sri Lanka" },
  { "LSO", "LSO", "LS", TP_COUNTRY_STATE, "Lesotho" },
  { "LTU", "LTU", "LT", TP_COUNTRY_STATE, "Lithuania" },
  { "LUX", "LUX", "LU", TP_COUNTRY_STATE, "Luxembourg" },
  { "LVA", "LVA", "LV", TP_COUNTRY_STATE, "Latvia" },
  { "MAC", "MAC", "MO", TP_COUNTRY_STATE, "Macao" },
  { "MAF", "MAF", "MF", TP_COUNTRY_STATE, "Saint Martin (French part)" },
  { "MAR", "MAR", "MA", TP_COUNTRY_STATE, "Morocco" },
  { "MCO", "MCO", "MC", TP_COUNTRY_STATE, "Monaco" },
  { "MDA", "MDA", "MD", TP_COUNTRY_STATE, "Moldova" },
  { "MDG", "MDG", "MG", TP_COUNTRY_STATE, "Madagascar" },
  { "MDV", "MDV", "MV", TP_COUNTRY_STATE, "Maldives" },
  { "MEX", "MEX", "MX", TP_COUNTRY_STATE, "Mexico" },
  { "MHL", "MHL", "MH", TP_COUNTRY_STATE, "Marshall Islands" },
  { "MKD", "MKD", "MK", TP_COUNTRY_STATE, "North Macedonia" },
  { "MLI", "MLI", "ML", TP_COUNTRY_STATE, "Mali" },
  { "MLT", "MLT", "MT", TP_COUNTRY_STATE, "Malta" },
  { "MMR", "MMR", "MM", TP_COUNTRY_STATE, "Myanmar" },
  { "MNE", "MNE", "ME", TP_COUNTRY_STATE, "Montenegro" },
  { "MNG", "MNG", "MN", TP_COUNTRY_STATE, "Mongolia" },
  { "MNP", "MNP", "MP", TP_COUNTRY_STATE, "Northern Mariana Islands" },
  { "MOZ", "MOZ", "MZ", TP_COUNTRY_STATE, "Mozambique" },
  { "MRT", "MRT", "MR", TP_COUNTRY_STATE, "Mauritania" },
  { "MSR", "MSR", "MS", TP_COUNTRY_STATE, "Montserrat" },
  { "MTQ", "MTQ", "MQ", TP_COUNTRY_STATE, "Martinique" },
  { "MUS", "MUS", "MU", TP_COUNTRY_STATE, "Mauritius" },
  { "MWI", "MWI", "MW", TP_COUNTRY_STATE, "Malawi" },
  { "MYS", "MYS", "MY", TP_COUNTRY_STATE, "Malaysia" },
  { "MYT", "MYT", "YT", TP_COUNTRY_STATE, "Mayotte" },
  { "NAM", "NAM", "NA", TP_COUNTRY_STATE, "Namibia" },
  { "NCL", "NCL", "NC", TP_COUNTRY_STATE, "New Caledonia" },
  { "NER", "NER", "NE", TP_COUNTRY_STATE, "Niger" },
  { "NFK", "NFK", "NF", TP_COUNTRY_STATE, "Norfolk Island" },
  { "NGA", "NGA", "NG", TP_COUNTRY_STATE, "Nigeria" },
  { "NIC", "NIC", "NI", TP_COUNTRY_STATE, "Nicaragua" },
  { "NIU", "NIU", "NU", TP_COUNTRY_STATE, "Niue" },
  { "NLD", "NLD", "NL", TP_COUNTRY_STATE, "Netherlands" },
  { "NOR", "NOR", "NO", TP_COUNTRY_STATE, "Norway" },
  { "NPL", "NPL", "NP", TP_COUNTRY_STATE, "Nepal" },
  { "NRU", "NRU", "NR", TP_COUNTRY_STATE, "Nauru" },
  { "NZL", "NZL", "NZ", TP_COUNTRY_STATE, "New Zealand" },
  { "OMN", "OMN", "OM", TP_COUNTRY_STATE, "Oman" },
  { "PAK", "PAK", "PK", TP_COUNTRY_STATE, "Pakistan" },
  { "PAN", "PAN", "PA", TP_COUNTRY_STATE, "Panama" },
  { "PCN", "PCN", "PN", TP_COUNTRY_STATE, "Pitcairn" },
  { "PER", "PER", "PE", TP_COUNTRY_STATE, "Peru" },
  { "PHL", "PHL", "PH", TP_COUNTRY_STATE, "Philippines" },
  { "PLW", "PLW", "PW", TP_COUNTRY_STATE, "Palau" },
  { "PNG", "PNG", "PG", TP_COUNTRY_STATE, "Papua New Guinea" },
  { "POL", "POL", "PL", TP_COUNTRY_STATE, "Poland" },
  { "PRI", "PRI", "PR", TP_COUNTRY_STATE, "Puerto Rico" },
  { "PRK", "PRK", "KP", TP_COUNTRY_STATE, "North Korea" },
  { "PRT", "PRT", "PT", TP_COUNTRY_STATE, "Portugal" },
  { "PRY", "PRY", "PY", TP_COUNTRY_STATE, "Paraguay" },
  { "PSE", "PSE", "PS", TP_COUNTRY_STATE, "Palestine, State of" },
  { "PYF", "PYF", "PF", TP_COUNTRY_STATE, "French Polynesia" },
  { "QAT", "QAT", "QA", TP_COUNTRY_STATE, "Qatar" },
  { "REU", "REU", "RE", TP_COUNTRY_STATE, "Réunion" },
  { "RKS", "RKS", "XK", TP_COUNTRY_STATE, "Kosovo" },
  { "ROU", "ROU", "RO", TP_COUNTRY_STATE, "Romania" },
  { "RUS", "RUS", "RU", TP_COUNTRY_STATE, "Russian Federation" },
  { "RWA", "RWA", "RW", TP_COUNTRY_STATE, "Rwanda" },
  { "SAU", "SAU", "SA", TP_COUNTRY_STATE, "Saudi Arabia" },
  { "SDN", "SDN", "SD", TP_COUNTRY_STATE, "Sudan" },
  { "SEN", "SEN", "SN", TP_COUNTRY_STATE, "Senegal" },
  { "SGP", "SGP", "SG", TP_COUNTRY_STATE, "Singapore" },
  { "SGS", "SGS", "GS", TP_COUNTRY_STATE, "South Georgia and the South Sandwich Islands" },
  { "SHN", "SHN", "SH", TP_COUNTRY_STATE, "Saint Helena, Ascension and Tristan da Cunha" },
  { "SJM", "SJM", "SJ", TP_COUNTRY_STATE, "Svalbard and Jan Mayen" },
  { "SLB", "SLB", "SB", TP_COUNTRY_STATE, "Solomon Islands" },
  { "SLE", "SLE", "SL", TP_COUNTRY_STATE, "Sierra Leone" },
  { "SLV", "SLV", "SV", TP_COUNTRY_STATE, "El Salvador" },
  { "SMR", "SMR", "SM", TP_COUNTRY_STATE, "San Marino" },
  { "SOM", "SOM", "SO", TP_COUNTRY_STATE, "Somalia" },
  { "SPM", "SPM", "PM", TP_COUNTRY_STATE, "Saint Pierre and Miquelon" },
  { "SRB", "SRB", "RS", TP_COUNTRY_STATE, "Serbia" },
  { "SSD", "SSD", "SS", TP_COUNTRY_STATE, "South Sudan" },
  { "STP", "STP", "ST", TP_COUNTRY_STATE, "Sao Tome and Principe" },
  { "SUR", "SUR", "SR", TP_COUNTRY_STATE, "Suriname" },
  { "SVK", "SVK", "SK", TP_COUNTRY_STATE, "Slovakia" },
  { "SVN", "SVN", "SI", TP_COUNTRY_STATE, "Slovenia" },
  { "SWE", "SWE", "SE", TP_COUNTRY_STATE, "Sweden" },
  { "SWZ", "SWZ", "SZ", TP_COUNTRY_STATE, "Eswatini" },
  { "SXM", "SXM", "SX", TP_COUNTRY_STATE, "Sint Maarten (Dutch part)" },
  { "SYC", "SYC", "SC", TP_COUNTRY_STATE, "Seychelles" },
  { "SYR", "SYR", "SY", TP_COUNTRY_STATE, "Syria" },
  { "TCA", "TCA", "TC", TP_COUNTRY_STATE, "Turks and Caicos Islands" },
  { "TCD", "TCD", "TD", TP_COUNTRY_STATE, "Chad" },
  { "TGO", "TGO", "TG", TP_COUNTRY_STATE, "Togo" },
  { "THA", "THA", "TH", TP_COUNTRY_STATE, "Thailand" },
  { "TJK", "TJK", "TJ", TP_COUNTRY_STATE, "Tajikistan" },
  { "TKL", "TKL", "TK", TP_COUNTRY_STATE, "Tokelau" },
  { "TKM", "TKM", "TM", TP_COUNTRY_STATE, "Turkmenistan" },
  { "TLS", "TLS", "TL", TP_COUNTRY_STATE, "Timor-Leste" },
  { "TON", "TON", "TO", TP_COUNTRY_STATE, "Tonga" },
  { "TTO", "TTO", "TT", TP_COUNTRY_STATE, "Trinidad and Tobago" },
  { "TUN", "TUN", "TN", TP_COUNTRY_STATE, "Tunisia" },
  { "TUR", "TUR", "TR", TP_COUNTRY_STATE, "Türkiye" },
  { "TUV", "TUV", "TV", TP_COUNTRY_STATE, "Tuvalu" },
  { "TWN", "TWN", "TW", TP_COUNTRY_STATE, "Taiwan" },
  { "TZA", "TZA", "TZ", TP_COUNTRY_STATE, "Tanzania" },
  { "UGA", "UGA", "UG", TP_COUNTRY_STATE, "Uganda" },
  { "UKR", "UKR", "UA", TP_COUNTRY_STATE, "Ukraine" },
  { "UMI", "UMI", "UM", TP_COUNTRY_STATE, "United States Minor Outlying Islands" },
  { "UNA", "UNA", NULL, TP_COUNTRY_ORGANISATION, "Specialized agency of the United Nations or one of its officials" },
  { "UNK", "UNK", NULL, TP_COUNTRY_STATUS, "Resident of Kosovo with a travel document issued by the United Nations Interim Administration Mission in Kosovo" },
  { "UNO", "UNO", "UN", TP_COUNTRY_ORGANISATION, "United Nations Organization or one of its officials" },
  { "URY", "URY", "UY", TP_COUNTRY_STATE, "Uruguay" },
  { "USA", "USA", "US", TP_COUNTRY_STATE, "United States" },
  /* UT is no ISO 3166 code: it is what specimen and test certificates of
   * Utopia carry (C=UT), so that their country can be checked too. */
  { "UTO", "UTO", "UT", TP_COUNTRY_SPECIMEN, "Utopia (ICAO 9303 specimen documents)" },
  { "UZB", "UZB", "UZ", TP_COUNTRY_STATE, "Uzbekistan" },
  { "VAT", "VAT", "VA", TP_COUNTRY_STATE, "Holy See (Vatican City State)" },
  { "VCT", "VCT", "VC", TP_COUNTRY_STATE, "Saint Vincent and the Grenadines" },
  { "VEN", "VEN", "VE", TP_COUNTRY_STATE, "Venezuela" },
  { "VGB", "VGB", "VG", TP_COUNTRY_STATE, "Virgin Islands, British" },
  { "VIR", "VIR", "VI", TP_COUNTRY_STATE, "Virgin Islands, U.S." },
  { "VNM", "VNM", "VN", TP_COUNTRY_STATE, "Vietnam" },
  { "VUT", "VUT", "VU", TP_COUNTRY_STATE, "Vanuatu" },
  { "WLF", "WLF", "WF", TP_COUNTRY_STATE, "Wallis and Futuna" },
  { "WSM", "WSM", "WS", TP_COUNTRY_STATE, "Samoa" },
  { "XBA", "XBA", NULL, TP_COUNTRY_ORGANISATION, "African Development Bank" },
  { "XCC", "XCC", NULL, TP_COUNTRY_ORGANISATION, "Caribbean Community or one of its emissaries" },
  { "XCE", "XCE", NULL, TP_COUNTRY_ORGANISATION, "Council of Europe" },
  { "XCO", "XCO", NULL, TP_COUNTRY_ORGANISATION, "Common Market for Eastern and Southern Africa" },
  { "XDC", "XDC", NULL, TP_COUNTRY_ORGANISATION, "Southern African Development Community" },
  { "XEC", "XEC", NULL, TP_COUNTRY_ORGANISATION, "Economic Community of West African States" },
  { "XES", "XES", NULL, TP_COUNTRY_ORGANISATION, "Organisation of Eastern Caribbean States" },
  { "XIM", "XIM", NULL, TP_COUNTRY_ORGANISATION, "African Export–Import Bank" },
  { "XMP", "XMP", NULL, TP_COUNTRY_ORGANISATION, "Parliamentary Assembly of the Mediterranean" },
  { "XOM", "XOM", NULL, TP_COUNTRY_ORGANISATION, "Sovereign Military Order of Malta or one of its emissaries" },
  { "XPO", "XPO", NULL, TP_COUNTRY_ORGANISATION, "International Criminal Police Organization" },
  { "XXA", "XXA", NULL, TP_COUNTRY_STATUS, "Stateless person (1954 Convention)" },
  { "XXB", "XXB", NULL, TP_COUNTRY_STATUS, "Refugee (1951 Convention)" },
  { "XXC", "XXC", NULL, TP_COUNTRY_STATUS, "Refugee, other than under the 1951 Convention" },
  { "XXX", "XXX", NULL, TP_COUNTRY_STATUS, "Person of unspecified nationality" },
  { "YEM", "YEM", "YE", TP_COUNTRY_STATE, "Yemen" },
  { "ZAF", "ZAF", "ZA", TP_COUNTRY_STATE, "South Africa" },
  { "ZMB", "ZMB", "ZM", TP_COUNTRY_STATE, "Zambia" },
  { "ZWE", "ZWE", "ZW", TP_COUNTRY_STATE, "Zimbabwe" },
};

/* Upper-cases code into key, filler stripped. FALSE unless 1–3 letters. */
static gboolean
make_key (const char *code,
          char        key[4])
{
  gsize len = 0;

  memset (key, 0, 4);
  if (code == NULL)
    return FALSE;
  for (; code[len] != '\0' && code[len] != '<'; len++)
    {
      if (len == 3 || !g_ascii_isalpha (code[len]))
        return FALSE;
      key[len] = g_ascii_toupper (code[len]);
    }
  for (gsize i = len; code[i] != '\0'; i++)
    if (code[i] != '<')
      return FALSE;
  return len > 0;
}

static int
compare_code (const void *key,
              const void *row)
{
  return strcmp (key, ((const TpCountry *) row)->code);
}

const TpCountry *
tp_country_lookup (const char *code)
{
  char key[4];

  if (!make_key (code, key))
    return NULL;
  return bsearch (key, countries, G_N_ELEMENTS (countries), sizeof countries[0], compare_code);
}

gboolean
tp_country_is_valid (const char *code)
{
  return tp_country_lookup (code) != NULL;
}

const TpCountry *
tp_country_from_alpha2 (const char *alpha2)
{
  g_return_val_if_fail (alpha2 != NULL, NULL);

  if (strlen (alpha2) != 2)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      const TpCountry *c = &countries[i];

      if (c->alpha2 != NULL && g_ascii_strcasecmp (c->alpha2, alpha2) == 0 &&
          g_str_equal (c->code, c->icao))
        return c;
    }
  return NULL;
}

gboolean
tp_country_has_alpha2 (const char *code,
                       const char *alpha2)
{
  const TpCountry *country = tp_country_lookup (code);

  g_return_val_if_fail (alpha2 != NULL, FALSE);

  return country != NULL && country->alpha2 != NULL &&
         g_ascii_strcasecmp (country->alpha2, alpha2) == 0;
}

gboolean
tp_country_same (const char *a,
                 const char *b)
{
  const TpCountry *ca = tp_country_lookup (a);
  const TpCountry *cb = tp_country_lookup (b);
  char ka[4], kb[4];

  if (ca != NULL && cb != NULL)
    return g_str_equal (ca->icao, cb->icao);
  if (ca != NULL || cb != NULL)
    return FALSE;
  if (!make_key (a, ka) || !make_key (b, kb))
    return FALSE;
  return g_str_equal (ka, kb);
}

gboolean
tp_country_is_special (const TpCountry *country)
{
  g_return_val_if_fail (country != NULL, FALSE);

  return country->kind == TP_COUNTRY_ORGANISATION || country->kind == TP_COUNTRY_STATUS;
}

const TpCountry *
tp_country_all (gsize *n_countries)
{
  g_return_val_if_fail (n_countries != NULL, NULL);

  *n_countries = G_N_ELEMENTS (countries);
  return countries;
}

const char *
tp_country_kind_to_string (TpCountryKind kind)
{
  switch (kind)
    {
    case TP_COUNTRY_STATE:
      return "state";
    case TP_COUNTRY_BRITISH:
      return "british";
    case TP_COUNTRY_ORGANISATION:
      return "organisation";
    case TP_COUNTRY_STATUS:
      return "status";
    case TP_COUNTRY_SPECIMEN:
      return "specimen";
    default:
      g_return_val_if_reached (NULL);
    }
}
