/* tp-population.c: deterministic synthetic population, lists and travellers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Frequencies: Vietnamese family names follow the published shares
 * (Nguyễn 31–38 % depending on the source, here about 37 %, Trần 11, Lê 9.5, Phạm 7.1, Hoàng/Huỳnh 5.1, Phan 4.5,
 * Vũ/Võ 3.9, then Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý and a long tail); the
 * other tables are ordered by commonness and weighted 1/(rank + 8)^0.9.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tp-name.h"
#include "tp-population.h"

typedef enum {
  CULTURE_VN,
  CULTURE_CN,
  CULTURE_KR,
  CULTURE_EN,
  CULTURE_FR,
  CULTURE_DE,
  CULTURE_ES,
  CULTURE_RU,
  N_CULTURES,
} Culture;

typedef struct {
  const char *name;
  double      weight;
} Weighted;

typedef struct {
  const char **names;
  double      *cumulative;
  guint        n;
} Picker;

#define MAX_PARTS 4

typedef struct {
  guint64     index;
  Culture     culture;
  char        nationality[4];
  char        sex;
  guint       year;
  guint       month;
  guint       day;
  char       *family[MAX_PARTS];
  guint       n_family;
  char       *middle[MAX_PARTS];
  guint       n_middle;
  char       *given[MAX_PARTS];
  guint       n_given;
  guint       province;
  char        national_id[13];
  char        passport[2][16];
  char        tax_code[11];
} Person;

enum {
  SALT_PERSON = 1,
  SALT_ENTRY,
  SALT_REUSE,
  SALT_QUERY,
};

enum {
  P_VN_FAMILY,
  P_VN_MIDDLE_M,
  P_VN_MIDDLE_F,
  P_VN_GIVEN_M,
  P_VN_GIVEN_F,
  P_CN_FAMILY,
  P_CN_SYLLABLE,
  P_KR_FAMILY,
  P_KR_SYLLABLE,
  P_EN_FAMILY,
  P_EN_GIVEN_M,
  P_EN_GIVEN_F,
  P_FR_FAMILY,
  P_FR_GIVEN_M,
  P_FR_GIVEN_F,
  P_DE_FAMILY,
  P_DE_GIVEN_M,
  P_DE_GIVEN_F,
  P_ES_FAMILY,
  P_ES_GIVEN_M,
  P_ES_GIVEN_F,
  P_RU_FAMILY,
  P_RU_GIVEN_M,
  P_RU_GIVEN_F,
  P_PROVINCE,
  N_PICKERS,
};

struct _TpPopulation {
  guint64  seed;
  guint    n_entries;
  GDate    today;
  Picker   pickers[N_PICKERS];
};

/* Data ------------------------------------------------------------------- */

static const Weighted vn_family[] = {
  { "Nguyễn", 35.5 }, { "Trần", 11.0 }, { "Lê", 9.5 }, { "Phạm", 7.1 },
  { "Hoàng", 3.1 }, { "Huỳnh", 2.0 }, { "Phan", 4.5 }, { "Vũ", 2.0 }, { "Võ", 1.9 },
  { "Đặng", 2.1 }, { "Bùi", 2.0 }, { "Đỗ", 1.4 }, { "Hồ", 1.3 }, { "Ngô", 1.3 },
  { "Dương", 1.0 }, { "Lý", 0.5 }, { "Đào", 0.4 }, { "Đoàn", 0.4 }, { "Vương", 0.2 },
  { "Trịnh", 0.4 }, { "Trương", 0.5 }, { "Lâm", 0.3 }, { "Phùng", 0.2 }, { "Mai", 0.3 },
  { "Tô", 0.2 }, { "Hà", 0.4 }, { "Tạ", 0.2 }, { "Cao", 0.3 }, { "Lưu", 0.2 },
  { "Châu", 0.2 }, { "Quách", 0.1 }, { "Thái", 0.2 }, { "Lương", 0.3 }, { "Kiều", 0.1 },
  { "Đinh", 0.5 }, { "Triệu", 0.2 }, { "Tăng", 0.1 }, { "Mạc", 0.05 }, { "Thân", 0.1 },
  { "La", 0.1 }, { "Khúc", 0.05 }, { "Lại", 0.1 }, { "Hứa", 0.1 }, { "Diệp", 0.05 },
  { "Chu", 0.1 }, { "Nông", 0.1 }, { "Lò", 0.05 }, { "Hầu", 0.05 }, { "Giang", 0.1 },
  { "Doãn", 0.05 }, { "Ninh", 0.05 }, { "Từ", 0.05 }, { "Tống", 0.1 }, { "Âu", 0.05 },
  { "Bạch", 0.05 }, { "Lã", 0.05 }, { "Nghiêm", 0.05 }, { "Quan", 0.05 }, { "Tôn", 0.05 },
  { "Ông", 0.05 }, { "Vi", 0.05 }, { "Lục", 0.03 }, { "Thạch", 0.05 }, { "Khổng", 0.03 },
  { "Cù", 0.03 }, { "Phí", 0.05 }, { "Đàm", 0.1 }, { "Đồng", 0.05 }, { "Cấn", 0.03 },
  { "Lạc", 0.03 }, { "Tiêu", 0.03 }, { "Ung", 0.02 }, { "Hoa", 0.03 }, { "Kha", 0.03 },
};

static const Weighted vn_middle_m[] = {
  { "Đức", 6 }, { "Minh", 6 }, { "Quang", 5 }, { "Hữu", 5 }, { "Thanh", 4 }, { "Công", 4 },
  { "Đình", 4 }, { "Ngọc", 3 }, { "Xuân", 3 }, { "Duy", 3 }, { "Hoàng", 3 }, { "Anh", 3 },
  { "Trọng", 3 }, { "Thế", 3 }, { "Gia", 3 }, { "Quốc", 3 }, { "Tuấn", 2 }, { "Bá", 2 },
  { "Tiến", 2 }, { "Mạnh", 2 }, { "Việt", 2 }, { "Hải", 2 }, { "Hồng", 2 }, { "Chí", 2 },
  { "Trung", 2 }, { "Thành", 2 }, { "Đăng", 2 }, { "Nhật", 2 }, { "Tấn", 2 }, { "Bảo", 2 },
  { "Khắc", 1 }, { "Như", 1 }, { "Phúc", 1 }, { "Kim", 1 }, { "Thiện", 1 }, { "Vĩnh", 1 },
  { "Phước", 1 }, { "Thái", 1 }, { "Huy", 1 }, { "Hoài", 1 }, { "Khánh", 1 }, { "Trường", 1 },
};

static const Weighted vn_middle_f[] = {
  { "Ngọc", 6 }, { "Thu", 5 }, { "Thanh", 5 }, { "Kim", 4 }, { "Hồng", 4 }, { "Minh", 3 },
  { "Phương", 3 }, { "Bích", 3 }, { "Mỹ", 3 }, { "Thùy", 3 }, { "Bảo", 3 }, { "Khánh", 2 },
  { "Diệu", 2 }, { "Quỳnh", 2 }, { "Hải", 2 }, { "Hoài", 2 }, { "Lan", 2 }, { "Mai", 2 },
  { "Thảo", 2 }, { "Như", 2 }, { "Xuân", 2 }, { "Ánh", 2 }, { "Thúy", 2 }, { "Hà", 2 },
  { "Hương", 2 }, { "Gia", 2 }, { "Tuyết", 1 }, { "Cẩm", 1 }, { "Huyền", 1 }, { "Tú", 1 },
  { "Yến", 1 }, { "Nhật", 1 }, { "An", 1 }, { "Vân", 1 }, { "Trúc", 1 }, { "Uyên", 1 },
};

/* Given names, most common first */
static const char *const vn_given_m[] = {
  "Anh", "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Hoàng", "Thắng", "Sơn",
  "Cường", "Đức", "Thành", "Phong", "Huy", "Quang", "Trung", "Hiếu", "Tùng", "Hưng",
  "Bình", "Thanh", "Toàn", "Khoa", "Việt", "Hiệp", "Lâm", "Linh", "Phúc", "Tài", "Tâm",
  "Vinh", "Khánh", "Duy", "Đạt", "Quân", "Hậu", "Nghĩa", "Thịnh", "Lộc", "Trí", "Kiên",
  "Tú", "Hòa", "Phương", "Tiến", "Quý", "Chiến", "Công", "Hào", "Khải", "Khang", "Luân",
  "Mạnh", "Nhân", "Phát", "Phú", "Sang", "Tân", "Thái", "Thiện", "Thông", "Trọng", "Vũ",
  "Vương", "Khôi", "Bảo", "Định", "Đông", "Giang", "Hiển", "Hoan", "Hợp", "Huân", "Kha",
  "Lực", "Lợi", "Ngọc", "Nguyên", "Nhật", "Quyết", "Sỹ", "Tấn", "Thạch", "Thuận", "Tín",
  "Tuệ", "Tường", "Vỹ", "Xuân", "Đăng", "Đại", "Điền", "Hanh", "Học", "Hồng", "Kỳ",
  "Lượng", "Phi", "Quyền", "Sinh", "Tạo", "Thao", "Tính", "Toản", "Trường", "Tuyên",
  "Viễn", "An", "Cảnh", "Chung", "Dương", "Giáp", "Hà", "Khiêm", "Khương", "Mẫn", "Ninh",
  "Pháp", "Quốc", "Sáng", "Thọ", "Triều", "Tuân", "Uy", "Bằng", "Biên", "Cương", "Doanh",
  "Dự", "Độ", "Hạnh", "Hoạt", "Hưởng", "Khiết", "Lập", "Lĩnh", "Nhẫn", "Quế", "Thụ",
};

static const char *const vn_given_f[] = {
  "Linh", "Anh", "Hương", "Trang", "Hà", "Ngọc", "Thảo", "Nhung", "Lan", "Huyền", "Hằng",
  "Mai", "Phương", "Thủy", "Hạnh", "Hoa", "Yến", "Nga", "Dung", "Vân", "Hiền", "Hồng",
  "Loan", "Ly", "My", "Nhi", "Oanh", "Quỳnh", "Tâm", "Thư", "Trâm", "Trinh", "Tuyết",
  "Uyên", "Vy", "Xuân", "Chi", "Diệp", "Giang", "Hậu", "Huệ", "Khánh", "Liên", "Ngân",
  "Nguyệt", "Phượng", "Quyên", "Thúy", "Ánh", "Bích", "Châu", "Duyên", "Diễm", "Đào",
  "Gấm", "Hạ", "Hòa", "Kiều", "Liễu", "Lụa", "Mơ", "Nhàn", "Như", "Sen", "Tiên", "Thắm",
  "Thơm", "Thoa", "Thu", "Thương", "Trà", "Tú", "Vui", "Xoan", "An", "Ân", "Bình", "Cúc",
  "Đan", "Hân", "Hường", "Khuê", "Lam", "Lệ", "Mận", "Minh", "Na", "Nương", "Phúc",
  "Quế", "Sương", "Thanh", "Thục", "Thùy", "Tình", "Trúc", "Vi", "Kim", "Hải", "Hảo",
  "Hoài", "Ngà", "Nhạn", "Quý", "Thêu", "Thuận", "Trân", "Diệu", "Điệp", "Hoan", "Huyên",
  "Lành", "Lài", "Mỹ", "Ngát", "Nhạn", "Phấn", "Sa", "Tho", "Thơ", "Tươi", "Vàng", "Yên",
};

static const char *const cn_family[] = {
  "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
  "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo", "Zheng", "Liang", "Xie", "Song",
  "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan",
  "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren",
  "Shen", "Yao", "Lu", "Jiang", "Cui", "Zhong", "Tan", "Lu", "Wang", "Fan", "Jin", "Shi",
};

static const char *const cn_syllable[] = {
  "Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan",
  "Jie", "Juan", "Tao", "Ming", "Chao", "Xiu", "Ying", "Hui", "Xia", "Ping", "Gang", "Gui",
  "Hua", "Hong", "Bin", "Hao", "Yu", "Xin", "Zhi", "Jian", "Guo", "Hai", "Lin", "Feng",
  "Dong", "Wen", "Bo", "Kai", "Rui", "Tian", "Xue", "Mei", "Lan", "Qing", "Zhen", "Long",
  "Peng", "Cheng", "Yi", "Jia", "Shu", "Fei", "Ning", "Liang", "Rong", "Kun", "Yun",
  "Xiang", "Dan", "Chun", "Ze", "Hang", "Zi", "Han", "Yue", "Shan", "Bao", "Fu",
};

static const char *const kr_family[] = {
  "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh",
  "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Jeon", "Hong", "Yoo", "Ko", "Moon",
  "Yang", "Son", "Bae", "Baek", "Heo", "Nam", "Noh",
};

static const char *const kr_syllable[] = {
  "Min", "Jun", "Seo", "Yeon", "Ji", "Hoon", "Woo", "Ha", "Eun", "Do", "Yoon", "Soo",
  "Hyun", "Jae", "Sung", "Young", "Jin", "Hye", "Kyung", "Dong", "Sang", "Ho", "Seung",
  "Joon", "Yu", "Na", "Ra", "Bin", "Won", "Chan", "Tae", "Hee", "Jeong", "Mi", "Sook",
  "Ja", "Hwa", "Gyu", "Il", "Kwang", "Chul", "Hyuk", "Yong", "Gun", "Suk",
};

static const char *const en_family[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
  "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris", "Clark",
  "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
  "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
  "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
  "Murphy", "Cook", "Rogers", "O'Brien", "O'Connor", "McDonald", "Sullivan", "Kelly",
  "Walsh", "Henderson", "Fitzgerald", "Richardson", "Montgomery", "Armstrong", "Cunningham",
};

static const char *const en_given_m[] = {
  "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
  "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul",
  "Andrew", "Joshua", "Kevin", "Brian", "George", "Edward", "Ryan", "Jason", "Peter",
  "Benjamin", "Samuel", "Patrick", "Jack", "Oliver", "Henry", "Alexander", "Jonathan",
  "Nicholas", "Timothy", "Stephen", "Gregory", "Frederick",
};

static const char *const en_given_f[] = {
  "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
  "Sarah", "Karen", "Nancy", "Lisa", "Margaret", "Emily", "Emma", "Olivia", "Sophie",
  "Charlotte", "Amelia", "Grace", "Hannah", "Rachel", "Laura", "Anna", "Rebecca",
  "Catherine", "Helen", "Victoria", "Alice", "Lucy", "Chloe", "Jacqueline", "Alexandra",
  "Christina", "Josephine",
};

static const char *const fr_family[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
  "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
  "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont",
  "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
  "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
};

static const char *const fr_given_m[] = {
  "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "François", "Laurent",
  "Julien", "Sébastien", "Jérôme", "Stéphane", "Frédéric", "Éric", "Thierry", "Olivier",
  "Christophe", "Antoine", "Benoît", "Hugo", "Lucas", "Théo",
};

static const char *const fr_given_f[] = {
  "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie",
  "Sandrine", "Céline", "Hélène", "Léa", "Chloé", "Camille", "Manon", "Inès", "Amélie",
  "Élodie", "Aurélie", "Émilie", "Margaux", "Océane",
};

static const char *const de_family[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
  "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
  "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Jäger", "Günther", "Groß",
  "Schwarzenberger", "Brandenburger",
};

static const char *const de_given_m[] = {
  "Thomas", "Michael", "Andreas", "Stefan", "Peter", "Klaus", "Jürgen", "Wolfgang", "Uwe",
  "Frank", "Jörg", "Lukas", "Jonas", "Maximilian", "Felix", "Björn", "Sebastian", "Tobias",
};

static const char *const de_given_f[] = {
  "Sabine", "Susanne", "Petra", "Monika", "Ursula", "Claudia", "Andrea", "Katharina",
  "Julia", "Anna", "Lena", "Jana", "Sophie", "Lea", "Hannah", "Gisela", "Brigitte",
  "Bärbel", "Jutta", "Friederike",
};

static const char *const es_family[] = {
  "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
  "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
  "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
  "Gil", "Ramírez", "Serrano", "Blanco", "Suárez", "Molina", "Castro", "Ortega", "Rubio",
  "Núñez", "Valenzuela", "Santamaría",
};

static const char *const es_given_m[] = {
  "José", "Antonio", "Manuel", "Francisco", "Juan", "David", "Javier", "Daniel", "Carlos",
  "Jesús", "Alejandro", "Miguel", "Rafael", "Pedro", "Pablo", "Ángel", "Fernando",
};

static const char *const es_given_f[] = {
  "María", "Carmen", "Ana", "Isabel", "Dolores", "Pilar", "Teresa", "Rosa", "Lucía",
  "Laura", "Cristina", "Marta", "Elena", "Paula", "Guadalupe", "Josefa", "Francisca",
  "Mercedes", "Alejandra", "Concepción",
};

static const char *const ru_family[] = {
  "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasilev", "Petrov", "Sokolov", "Mikhailov",
  "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev", "Lebedev", "Semenov", "Egorov",
  "Pavlov", "Kozlov", "Stepanov", "Nikolaev",
};

static const char *const ru_given_m[] = {
  "Aleksandr", "Sergei", "Dmitrii", "Andrei", "Aleksei", "Maksim", "Evgenii", "Ivan",
  "Mikhail", "Artem", "Nikolai", "Vladimir",
};

static const char *const ru_given_f[] = {
  "Elena", "Olga", "Natalia", "Tatiana", "Irina", "Svetlana", "Anna", "Mariia", "Ekaterina",
  "Iuliia", "Anastasiia",
};

/* Citizen ID province codes and rough population shares */
static const Weighted provinces[] = {
  { "001", 9.0 }, { "079", 10.0 }, { "031", 2.0 }, { "048", 1.2 }, { "092", 1.3 },
  { "038", 3.8 }, { "040", 3.5 }, { "036", 1.9 }, { "034", 1.9 }, { "030", 2.0 },
  { "033", 1.3 }, { "027", 1.5 }, { "024", 1.9 }, { "022", 1.4 }, { "026", 1.2 },
  { "035", 0.9 }, { "037", 1.0 }, { "042", 1.3 }, { "044", 0.9 }, { "045", 0.7 },
  { "046", 1.2 }, { "049", 1.5 }, { "051", 1.3 }, { "052", 1.5 }, { "054", 0.9 },
  { "056", 1.3 }, { "058", 0.6 }, { "060", 1.3 }, { "062", 0.6 }, { "064", 1.6 },
  { "066", 1.9 }, { "067", 0.7 }, { "068", 1.3 }, { "070", 1.0 }, { "072", 1.2 },
  { "074", 2.7 }, { "075", 3.2 }, { "077", 1.2 }, { "080", 1.8 }, { "082", 1.8 },
  { "083", 1.3 }, { "084", 1.0 }, { "086", 1.1 }, { "087", 1.6 }, { "089", 1.9 },
  { "091", 1.8 }, { "093", 0.7 }, { "094", 1.2 }, { "095", 0.9 }, { "096", 1.2 },
  { "002", 0.9 }, { "004", 0.5 }, { "006", 0.3 }, { "008", 0.8 }, { "010", 0.8 },
  { "011", 0.6 }, { "012", 0.5 }, { "014", 1.3 }, { "015", 0.8 }, { "017", 0.9 },
  { "019", 1.3 }, { "020", 0.8 }, { "025", 1.5 },
};

/* Share of each culture among people, in per mille */
static const guint culture_share[N_CULTURES] = { 875, 45, 35, 20, 7, 7, 6, 5 };
static const char *const culture_state[N_CULTURES] = {
  "VNM", "CHN", "KOR", NULL, "FRA", "DEU", "ESP", "RUS",
};
static const char *const en_states[] = { "USA", "GBR", "AUS", "CAN" };

static const char *const kind_names[TP_QUERY_N_KINDS] = {
  "listed-identifier", "listed-new-document", "not-listed", "formerly-listed", "listed-name-slip",
};

static const char *const variation_names[TP_N_VARIATIONS] = {
  "none", "new-number", "order", "missing-middle", "typo", "truncated", "accents-lost",
  "surname-variant", "name-slip",
};

/* The variations a new document comes with, in turn (the name slip has
 * its own kind of query) */
#define N_DOCUMENT_VARIATIONS (TP_VARIATION_SURNAME_VARIANT - TP_VARIATION_NEW_NUMBER + 1)

/* Random numbers ------------------------------------------------------------ */

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint64
stream (guint64 seed,
        guint64 salt,
        guint64 index)
{
  guint64 s = seed ^ (salt * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));

  splitmix64 (&s);
  s ^= index * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  splitmix64 (&s);
  return s;
}

static inline double
uniform (guint64 *rng)
{
  return (double) (splitmix64 (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static inline guint
below (guint64 *rng,
       guint    n)
{
  return (guint) (((splitmix64 (rng) >> 32) * (guint64) n) >> 32);
}

static inline gboolean
chance (guint64 *rng,
        double   p)
{
  return uniform (rng) < p;
}

/* An affine bijection of [0, modulus): unique document numbers for unique
 * inputs. multiplier must be coprime with modulus (odd, not a multiple of 5). */
static guint64
permute (guint64 x,
         guint64 modulus,
         guint64 multiplier,
         guint64 offset)
{
  return (x % modulus * (multiplier % modulus) + offset) % modulus;
}

static void
picker_init (Picker         *picker,
             const char    **names,
             const double   *weights,
             guint           n)
{
  double total = 0;

  picker->names = g_new (const char *, n);
  picker->cumulative = g_new (double, n);
  picker->n = n;
  for (guint i = 0; i < n; i++)
    {
      total += weights != NULL ? weights[i] : 1.0 / pow (i + 8.0, 0.9);
      picker->names[i] = names[i];
      picker->cumulative[i] = total;
    }
  for (guint i = 0; i < n; i++)
    picker->cumulative[i] /= total;
}

static void
picker_init_weighted (Picker         *picker,
                      const Weighted *table,
                      guint           n)
{
  g_autofree const char **names = g_new (const char *, n);
  g_autofree double *weights = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      names[i] = table[i].name;
      weights[i] = table[i].weight;
    }
  picker_init (picker, names, weights, n);
}

static guint
pick_index (const Picker *picker,
            guint64      *rng)
{
  double u = uniform (rng);
  guint lo = 0, hi = picker->n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (picker->cumulative[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static const char *
pick (const TpPopulation *self,
      guint               which,
      guint64            *rng)
{
  const Picker *picker = &self->pickers[which];

  return picker->names[pick_index (picker, rng)];
}

/* People ------------------------------------------------------------------- */

static void
person_clear (Person *p)
{
  for (guint i = 0; i < MAX_PARTS; i++)
    {
      g_free (p->family[i]);
      g_free (p->middle[i]);
      g_free (p->given[i]);
    }
  memset (p, 0, sizeof *p);
}

static void
add_part (char       **parts,
          guint       *n,
          const char  *s)
{
  if (*n < MAX_PARTS)
    parts[(*n)++] = g_strdup (s);
}

static char *
syllables (const TpPopulation *self,
           guint               which,
           guint               n,
           guint64            *rng)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *s = pick (self, which, rng);

      if (i == 0)
        g_string_append (out, s);
      else
        {
          g_autofree char *lower = g_ascii_strdown (s, -1);

          g_string_append (out, lower);
        }
    }
  return g_string_free (out, FALSE);
}

static guint
days_in (guint year,
         guint month)
{
  return g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

static guint unique_province (const TpPopulation *self, guint64 index, guint province,
                              guint year, char sex);

/* Everything about person @index; the citizen ID province is made unique
 * against the people it could collide with (see unique_province). */
static void
person_make (const TpPopulation *self,
             guint64             index,
             gboolean            unique,
             Person             *p)
{
  guint64 rng = stream (self->seed, SALT_PERSON, index);
  guint r = below (&rng, 1000), acc = 0;
  gboolean male;
  double age_sd = 13.0;
  int year;

  memset (p, 0, sizeof *p);
  p->index = index;
  for (p->culture = 0; p->culture < N_CULTURES - 1; p->culture++)
    {
      acc += culture_share[p->culture];
      if (r < acc)
        break;
    }
  male = chance (&rng, 0.5);
  p->sex = male ? 'M' : 'F';

  /* Birth date: around 1980, 1940–2008 */
  do
    {
      double u1 = uniform (&rng), u2 = uniform (&rng);
      double z = sqrt (-2.0 * log (MAX (u1, 1e-12))) * cos (2 * G_PI * u2);

      year = (int) floor (1980.0 + z * age_sd + 0.5);
    }
  while (year < 1940 || year > 2008);
  p->year = (guint) year;
  p->month = 1 + below (&rng, 12);
  p->day = 1 + below (&rng, days_in (p->year, p->month));
  if (p->year < 1965 && chance (&rng, 0.10))
    p->month = p->day = 1;   /* unknown birthdays recorded as 1 January */

  switch (p->culture)
    {
    case CULTURE_VN:
      {
        double plain;
        guint n_middle;

        add_part (p->family, &p->n_family, pick (self, P_VN_FAMILY, &rng));
        if (male)
          plain = p->year < 1970 ? 0.60 : p->year < 1985 ? 0.45 : p->year < 1995 ? 0.30 : 0.15;
        else
          plain = p->year < 1970 ? 0.75 : p->year < 1985 ? 0.60 : p->year < 1995 ? 0.40 : 0.20;
        r = below (&rng, 100);
        n_middle = r < 4 ? 0 : r < 85 ? 1 : 2;
        for (guint i = 0; i < n_middle; i++)
          {
            if (i == 0 && chance (&rng, plain))
              add_part (p->middle, &p->n_middle, male ? "Văn" : "Thị");
            else
              {
                const char *m;

                do
                  m = pick (self, male ? P_VN_MIDDLE_M : P_VN_MIDDLE_F, &rng);
                while (p->n_middle > 0 && g_str_equal (m, p->middle[0]));
                add_part (p->middle, &p->n_middle, m);
              }
          }
        {
          const char *g;

          do
            g = pick (self, male ? P_VN_GIVEN_M : P_VN_GIVEN_F, &rng);
          while (p->n_middle > 0 && g_str_equal (g, p->middle[p->n_middle - 1]));
          add_part (p->given, &p->n_given, g);
        }
      }
      break;

    case CULTURE_CN:
      {
        g_autofree char *given = syllables (self, P_CN_SYLLABLE, chance (&rng, 0.4) ? 1 : 2, &rng);

        add_part (p->family, &p->n_family, pick (self, P_CN_FAMILY, &rng));
        add_part (p->given, &p->n_given, given);
      }
      break;

    case CULTURE_KR:
      {
        g_autofree char *given = syllables (self, P_KR_SYLLABLE, 2, &rng);

        add_part (p->family, &p->n_family, pick (self, P_KR_FAMILY, &rng));
        add_part (p->given, &p->n_given, given);
      }
      break;

    case CULTURE_EN:
    case CULTURE_FR:
    case CULTURE_DE:
      {
        guint fam = p->culture == CULTURE_EN ? P_EN_FAMILY : p->culture == CULTURE_FR ? P_FR_FAMILY : P_DE_FAMILY;
        guint giv = p->culture == CULTURE_EN ? (male ? P_EN_GIVEN_M : P_EN_GIVEN_F)
                  : p->culture == CULTURE_FR ? (male ? P_FR_GIVEN_M : P_FR_GIVEN_F)
                  : (male ? P_DE_GIVEN_M : P_DE_GIVEN_F);
        double p_middle = p->culture == CULTURE_EN ? 0.5 : 0.3;
        const char *first = pick (self, giv, &rng);

        add_part (p->family, &p->n_family, pick (self, fam, &rng));
        add_part (p->given, &p->n_given, first);
        if (chance (&rng, p_middle))
          {
            guint n_middle = chance (&rng, 0.2) ? 2 : 1;

            for (guint i = 0; i < n_middle; i++)
              {
                const char *m = pick (self, giv, &rng);

                if (!g_str_equal (m, first))
                  add_part (p->middle, &p->n_middle, m);
              }
          }
      }
      break;

    case CULTURE_ES:
      {
        guint giv = male ? P_ES_GIVEN_M : P_ES_GIVEN_F;
        const char *first = pick (self, giv, &rng);

        add_part (p->family, &p->n_family, pick (self, P_ES_FAMILY, &rng));
        add_part (p->family, &p->n_family, pick (self, P_ES_FAMILY, &rng));
        add_part (p->given, &p->n_given, first);
        r = below (&rng, 100);
        if (r < 15 && !male)
          {
            add_part (p->middle, &p->n_middle, "del");
            add_part (p->middle, &p->n_middle, pick (self, giv, &rng));
          }
        else if (r < 45)
          add_part (p->middle, &p->n_middle, pick (self, giv, &rng));
        if (r < 45 && chance (&rng, 0.3))
          add_part (p->middle, &p->n_middle, pick (self, giv, &rng));
      }
      break;

    case CULTURE_RU:
      {
        const char *family = pick (self, P_RU_FAMILY, &rng);

        if (male)
          add_part (p->family, &p->n_family, family);
        else
          {
            g_autofree char *f = g_strconcat (family, "a", NULL);

            add_part (p->family, &p->n_family, f);
          }
        add_part (p->given, &p->n_given, pick (self, male ? P_RU_GIVEN_M : P_RU_GIVEN_F, &rng));
      }
      break;

    case N_CULTURES:
    default:
      g_assert_not_reached ();
    }

  if (p->culture == CULTURE_EN)
    g_strlcpy (p->nationality, en_states[below (&rng, G_N_ELEMENTS (en_states))], 4);
  else
    g_strlcpy (p->nationality, culture_state[p->culture], 4);

  /* Documents */
  if (p->culture == CULTURE_VN)
    {
      static const char letters[] = "CCCNNPB";
      guint sc = (p->year >= 2000 ? 2 : 0) + (male ? 0 : 1);

      for (guint k = 0; k < 2; k++)
        {
          guint64 serial = permute (2 * index + k, 70000000, 9301973, 12345);

          g_snprintf (p->passport[k], sizeof p->passport[k], "%c%07u",
                      letters[serial / 10000000], (guint) (serial % 10000000));
        }
      p->province = pick_index (&self->pickers[P_PROVINCE], &rng);
      if (unique && index >= 1000000)
        p->province = unique_province (self, index, p->province, p->year, p->sex);
      g_snprintf (p->national_id, sizeof p->national_id, "%s%u%02u%06u",
                  provinces[p->province].name, sc, p->year % 100,
                  (guint) permute (index % 1000000, 1000000, 737373, 4242));
      g_snprintf (p->tax_code, sizeof p->tax_code, "8%09u",
                  (guint) permute (index, 1000000000, 48271, 777));
    }
  else
    {
      gboolean nine_digits = g_str_equal (p->nationality, "USA") || g_str_equal (p->nationality, "GBR") ||
                             g_str_equal (p->nationality, "RUS");

      for (guint k = 0; k < 2; k++)
        {
          guint64 serial = permute (2 * index + k, nine_digits ? 1000000000 : 100000000, 2654435761u, 99991);

          if (nine_digits)
            g_snprintf (p->passport[k], sizeof p->passport[k], "%09u", (guint) serial);
          else
            g_snprintf (p->passport[k], sizeof p->passport[k], "%c%08u",
                        p->culture == CULTURE_CN ? 'E' : p->culture == CULTURE_KR ? 'M' :
                        p->culture == CULTURE_DE ? 'C' : p->culture == CULTURE_ES ? 'P' : 'X',
                        (guint) serial);
        }
    }
}

/* Citizen IDs share their last six digits between people whose indexes are
 * a multiple of a million apart; such a person's province moves on until
 * it differs from those of all of them with the same sex and birth year, so
 * that every ID is unique. */
static guint
unique_province (const TpPopulation *self,
                 guint64             index,
                 guint               province,
                 guint               year,
                 char                sex)
{
  gboolean moved;

  do
    {
      moved = FALSE;
      for (guint64 other = index % 1000000; other < index; other += 1000000)
        {
          Person them;
          gboolean same;

          person_make (self, other, TRUE, &them);
          same = them.culture == CULTURE_VN && them.province == province &&
                 them.year == year && them.sex == sex;
          person_clear (&them);
          if (same)
            {
              province = (province + 1) % G_N_ELEMENTS (provinces);
              moved = TRUE;
            }
        }
    }
  while (moved);
  return province;
}

/* Names as written ------------------------------------------------------- */

static gboolean
family_first (Culture culture)
{
  return culture == CULTURE_VN || culture == CULTURE_CN || culture == CULTURE_KR;
}

static void
append_parts (GString    *out,
              char      **parts,
              guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
}

/* The name in the culture's own order, with diacritics */
static char *
person_full_name (const Person *p)
{
  GString *out = g_string_new (NULL);

  if (family_first (p->culture))
    {
      append_parts (out, (char **) p->family, p->n_family);
      append_parts (out, (char **) p->middle, p->n_middle);
      append_parts (out, (char **) p->given, p->n_given);
    }
  else
    {
      append_parts (out, (char **) p->given, p->n_given);
      append_parts (out, (char **) p->middle, p->n_middle);
      append_parts (out, (char **) p->family, p->n_family);
    }
  return g_string_free (out, FALSE);
}

static char *
join_parts (char **a, guint na, char **b, guint nb)
{
  GString *out = g_string_new (NULL);

  append_parts (out, a, na);
  append_parts (out, b, nb);
  return g_string_free (out, FALSE);
}

/* MRZ primary and secondary identifiers, folded */
static void
person_mrz (const Person  *p,
            char         **primary,
            char         **secondary)
{
  g_autofree char *family = join_parts ((char **) p->family, p->n_family, NULL, 0);
  g_autofree char *given = p->culture == CULTURE_VN
                         ? join_parts ((char **) p->middle, p->n_middle, (char **) p->given, p->n_given)
                         : join_parts ((char **) p->given, p->n_given, (char **) p->middle, p->n_middle);

  *primary = tp_name_fold (family);
  *secondary = tp_name_fold (given);
}

/* Entries ----------------------------------------------------------------- */

static gboolean
is_second_entry (const TpPopulation *self,
                 guint               index)
{
  guint64 rng = stream (self->seed, SALT_REUSE, index);

  return index > 0 && below (&rng, 50) == 0;
}

static guint
entry_person (const TpPopulation *self,
              guint               index)
{
  while (is_second_entry (self, index))
    index--;
  return index;
}

static gboolean
entry_shared (const TpPopulation *self,
              guint               index)
{
  return is_second_entry (self, index) ||
         (index + 1 < self->n_entries && is_second_entry (self, index + 1));
}

static char *
date_string (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static void
day_offset (const GDate *today,
            int          days,
            GDate       *out)
{
  *out = *today;
  if (days >= 0)
    g_date_add_days (out, (guint) days);
  else
    g_date_subtract_days (out, (guint) -days);
}

typedef struct {
  TpListKind list;
  TpAgency   agency;
  TpAction   action;
  const char *reason;
  const char *ref_series;
  const char *issued_by;
} EntryKind;

static const EntryKind exit_ban_kinds[] = {
  { TP_LIST_EXIT_BAN, TP_AGENCY_TAX, TP_ACTION_DENY_EXIT, "tax_debt", "TB-CT", "Cục Thuế thành phố Hà Nội" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_TAX, TP_ACTION_DENY_EXIT, "tax_debt", "TB-CT", "Cục Thuế Thành phố Hồ Chí Minh" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_CUSTOMS, TP_ACTION_DENY_EXIT, "customs_debt", "TB-HQ", "Chi cục Hải quan cửa khẩu sân bay quốc tế Nội Bài" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_CUSTOMS, TP_ACTION_DENY_EXIT, "customs_debt", "TB-HQ", "Chi cục Hải quan cửa khẩu sân bay quốc tế Tân Sơn Nhất" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_POLICE, TP_ACTION_DENY_EXIT, "criminal_investigation", "QĐ-CSĐT", "Cơ quan Cảnh sát điều tra" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_COURT, TP_ACTION_DENY_EXIT, "court_judgment", "QĐ-TA", "Tòa án nhân dân" },
  { TP_LIST_EXIT_BAN, TP_AGENCY_IMMIGRATION, TP_ACTION_DENY_EXIT, "immigration_violation", "QĐ-XNC", "Cục Quản lý xuất nhập cảnh" },
};
/* Per mille of exit bans for each line above */
static const guint exit_ban_share[] = { 300, 250, 150, 100, 100, 70, 30 };

static const EntryKind watch_kinds[] = {
  { TP_LIST_WATCH, TP_AGENCY_CUSTOMS, TP_ACTION_REFER_CUSTOMS, "smuggling_risk", "HQ-ĐTCBL", "Cục Điều tra chống buôn lậu" },
  { TP_LIST_WATCH, TP_AGENCY_CUSTOMS, TP_ACTION_NOTIFY, "intelligence", "HQ-ĐTCBL", "Cục Điều tra chống buôn lậu" },
  { TP_LIST_WATCH, TP_AGENCY_IMMIGRATION, TP_ACTION_REFER_SUPERVISOR, "document_fraud", "XNC-NV", "Cục Quản lý xuất nhập cảnh" },
  { TP_LIST_WATCH, TP_AGENCY_POLICE, TP_ACTION_NOTIFY, "wanted_notice", "CSHS", "Cục Cảnh sát hình sự" },
  { TP_LIST_WATCH, TP_AGENCY_POLICE, TP_ACTION_REFER_SUPERVISOR, "wanted_notice", "CSHS", "Cục Cảnh sát hình sự" },
};
static const guint watch_share[] = { 400, 150, 200, 150, 100 };

static const EntryKind *
pick_kind (guint64 *rng,
           gboolean watch)
{
  const EntryKind *kinds = watch ? watch_kinds : exit_ban_kinds;
  const guint *share = watch ? watch_share : exit_ban_share;
  guint n = watch ? G_N_ELEMENTS (watch_kinds) : G_N_ELEMENTS (exit_ban_kinds);
  guint r = below (rng, 1000), acc = 0;

  for (guint i = 0; i < n; i++)
    {
      acc += share[i];
      if (r < acc)
        return &kinds[i];
    }
  return &kinds[n - 1];
}

static GPtrArray *
make_history (TpPopulation *self,
              guint         index)
{
  guint64 rng = stream (self->seed, SALT_ENTRY, index);
  guint person_index = entry_person (self, index);
  gboolean second = person_index != index;
  gboolean watch = second ? TRUE : chance (&rng, 0.35);
  const EntryKind *kind = second ? &watch_kinds[0] : pick_kind (&rng, watch);
  GPtrArray *history = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(TpEntry) entry = tp_entry_new ();
  g_autofree char *issued_at = NULL;
  Person p;
  guint r;
  GDate from, until, until2;
  gboolean open_ended;
  enum { LIFE_ACTIVE, LIFE_CANCELLED, LIFE_EXPIRED, LIFE_FUTURE, LIFE_EXTENDED } life;

  person_make (self, person_index, TRUE, &p);

  entry->list = kind->list;
  entry->agency = kind->agency;
  entry->action = kind->action;
  entry->status = TP_ENTRY_ACTIVE;
  entry->version = 1;
  entry->visibility = TP_ROLE_SUPERVISOR |
                      (kind->list == TP_LIST_EXIT_BAN ? TP_ROLE_IMMIGRATION : 0) |
                      (kind->agency == TP_AGENCY_CUSTOMS ? TP_ROLE_CUSTOMS : 0) |
                      (kind->agency == TP_AGENCY_IMMIGRATION || kind->agency == TP_AGENCY_POLICE ? TP_ROLE_IMMIGRATION : 0);

  /* Person as the list records it */
  {
    g_autofree char *name = person_full_name (&p);

    if (p.culture == CULTURE_VN && chance (&rng, 0.06))
      entry->full_name = tp_name_fold (name);   /* legacy record without diacritics */
    else
      entry->full_name = g_steal_pointer (&name);
  }
  entry->birth_date.year = (guint16) p.year;
  /* Citizen records give the full date; older and foreign records
   * sometimes only year-month (1 %) or year (1.5 %). */
  r = below (&rng, 1000);
  if (r >= 25)
    {
      entry->birth_date.month = (guint8) p.month;
      entry->birth_date.day = (guint8) p.day;
    }
  else if (r >= 15)
    entry->birth_date.month = (guint8) p.month;
  entry->sex = p.sex;
  g_strlcpy (entry->nationality, p.nationality, sizeof entry->nationality);

  if (p.culture == CULTURE_VN)
    {
      r = below (&rng, 100);
      /* 0–4: no identifier; passport 70 %, citizen ID 80 % otherwise */
      if (r >= 5)
        {
          gboolean passport = chance (&rng, 0.70);
          gboolean national_id = chance (&rng, 0.80) || !passport;

          if (passport)
            g_ptr_array_add (entry->identifiers, tp_identifier_new (TP_ID_PASSPORT, p.passport[0], "VNM"));
          if (national_id)
            g_ptr_array_add (entry->identifiers, tp_identifier_new (TP_ID_NATIONAL_ID, p.national_id, "VNM"));
        }
      if (kind->agency == TP_AGENCY_TAX && chance (&rng, 0.9))
        g_ptr_array_add (entry->identifiers, tp_identifier_new (TP_ID_TAX_CODE, p.tax_code, "VNM"));
    }
  else if (chance (&rng, 0.9))
    g_ptr_array_add (entry->identifiers, tp_identifier_new (TP_ID_PASSPORT, p.passport[0], p.nationality));

  /* Life cycle relative to the reference date */
  r = below (&rng, 1000);
  life = r < 60 ? LIFE_CANCELLED : r < 110 ? LIFE_EXPIRED : r < 130 ? LIFE_FUTURE
       : r < 300 ? LIFE_EXTENDED : LIFE_ACTIVE;
  open_ended = watch && chance (&rng, 0.7);
  g_date_clear (&until, 1);
  g_date_clear (&until2, 1);
  switch (life)
    {
    case LIFE_CANCELLED:
      day_offset (&self->today, -(int) (30 + below (&rng, 670)), &from);
      if (!open_ended)
        {
          until = from;
          g_date_add_days (&until, 365);
        }
      break;
    case LIFE_EXPIRED:
      day_offset (&self->today, -(int) (1 + below (&rng, 150)), &until);
      from = until;
      g_date_subtract_days (&from, 90 + below (&rng, 600));
      break;
    case LIFE_FUTURE:
      day_offset (&self->today, (int) (1 + below (&rng, 60)), &from);
      until = from;
      g_date_add_days (&until, 180);
      break;
    case LIFE_EXTENDED:
      day_offset (&self->today, -(int) (100 + below (&rng, 600)), &from);
      day_offset (&self->today, -(int) below (&rng, 60), &until);
      day_offset (&self->today, (int) (30 + below (&rng, 335)), &until2);
      break;
    case LIFE_ACTIVE:
    default:
      day_offset (&self->today, -(int) below (&rng, 700), &from);
      if (!open_ended)
        day_offset (&self->today, (int) (1 + below (&rng, 540)), &until);
      break;
    }
  entry->effective_from = from;
  entry->effective_until = until;

  entry->id = g_strdup_printf ("%s-%04u-%07u", kind->list == TP_LIST_EXIT_BAN ? "EB" : "WL",
                               g_date_get_year (&from), index);
  issued_at = date_string (&from);
  entry->basis_reference = g_strdup_printf ("%u/%s", 1 + below (&rng, 9999), kind->ref_series);
  entry->basis_issued_by = g_strdup (kind->issued_by);
  entry->basis_issued_at = g_strdup (issued_at);
  entry->basis_reason = g_strdup (kind->reason);

  if (life == LIFE_CANCELLED)
    {
      TpEntry *cancelled = tp_entry_copy (entry);

      cancelled->version = 2;
      cancelled->status = TP_ENTRY_CANCELLED;
      g_ptr_array_add (history, g_steal_pointer (&entry));
      g_ptr_array_add (history, cancelled);
    }
  else if (life == LIFE_EXTENDED)
    {
      TpEntry *extended = tp_entry_copy (entry);

      extended->version = 2;
      extended->effective_until = until2;
      g_ptr_array_add (history, g_steal_pointer (&entry));
      g_ptr_array_add (history, extended);
    }
  else
    g_ptr_array_add (history, g_steal_pointer (&entry));

  person_clear (&p);
  return history;
}

/* Queries ----------------------------------------------------------------- */

typedef struct {
  char *family[MAX_PARTS];
  guint n_family;
  char *middle[MAX_PARTS];
  guint n_middle;
  char *given[MAX_PARTS];
  guint n_given;
} Parts;

static void
parts_from_person (const Person *p,
                   Parts        *parts)
{
  memset (parts, 0, sizeof *parts);
  for (guint i = 0; i < p->n_family; i++)
    parts->family[parts->n_family++] = g_strdup (p->family[i]);
  for (guint i = 0; i < p->n_middle; i++)
    parts->middle[parts->n_middle++] = g_strdup (p->middle[i]);
  for (guint i = 0; i < p->n_given; i++)
    parts->given[parts->n_given++] = g_strdup (p->given[i]);
}

static void
parts_clear (Parts *parts)
{
  for (guint i = 0; i < MAX_PARTS; i++)
    {
      g_free (parts->family[i]);
      g_free (parts->middle[i]);
      g_free (parts->given[i]);
    }
  memset (parts, 0, sizeof *parts);
}

static gsize
folded_length (const char *token)
{
  g_autofree char *f = tp_name_fold (token);

  return strlen (f);
}

static gboolean
has_long_token (const Person *p)
{
  for (guint i = 0; i < p->n_family; i++)
    if (folded_length (p->family[i]) >= 5)
      return TRUE;
  for (guint i = 0; i < p->n_given; i++)
    if (folded_length (p->given[i]) >= 5)
      return TRUE;
  for (guint i = 0; i < p->n_middle; i++)
    if (folded_length (p->middle[i]) >= 5)
      return TRUE;
  return FALSE;
}

static gboolean
has_variant_surname (const Person *p)
{
  static const char *const variants[] = { "Hoàng", "Huỳnh", "Vũ", "Võ" };

  if (p->culture != CULTURE_VN)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    if (g_str_equal (p->family[0], variants[i]))
      return TRUE;
  return FALSE;
}

static gboolean
droppable_middle (const Person *p)
{
  for (guint i = 0; i < p->n_middle; i++)
    if (!g_str_equal (p->middle[i], "del"))
      return TRUE;
  return FALSE;
}

static gsize
mrz_length (const Person *p)
{
  g_autofree char *primary = NULL;
  g_autofree char *secondary = NULL;
  g_autofree char *mrz = NULL;

  person_mrz (p, &primary, &secondary);
  mrz = tp_name_to_mrz (primary, secondary);
  return strlen (mrz);
}

/* A Vietnamese given or middle name of 2–5 letters */
static gboolean
slip_target (const char *token)
{
  gsize len = folded_length (token);

  return len >= 2 && len <= 5;
}

static gboolean
has_slip_target (const Person *p)
{
  if (p->culture != CULTURE_VN)
    return FALSE;
  for (guint i = 0; i < p->n_middle; i++)
    if (slip_target (p->middle[i]))
      return TRUE;
  for (guint i = 0; i < p->n_given; i++)
    if (slip_target (p->given[i]))
      return TRUE;
  return FALSE;
}

static gboolean
suits (const Person *p,
       TpVariation   variation,
       gsize         field)
{
  switch (variation)
    {
    case TP_VARIATION_NAME_SLIP:       return has_slip_target (p);
    case TP_VARIATION_MISSING_MIDDLE:  return droppable_middle (p);
    case TP_VARIATION_TYPO:            return has_long_token (p);
    case TP_VARIATION_TRUNCATED:       return mrz_length (p) > field;
    case TP_VARIATION_SURNAME_VARIANT: return has_variant_surname (p);
    case TP_VARIATION_ACCENTS_LOST:
      {
        g_autofree char *name = person_full_name (p);

        return tp_name_has_diacritics (name);
      }
    case TP_VARIATION_NONE:
    case TP_VARIATION_NEW_NUMBER:
    case TP_VARIATION_ORDER:
    case TP_N_VARIATIONS:
    default:
      return TRUE;
    }
}

/* One letter changed, swapped, added or removed in a token of 5+ letters
 * (removed only from 6+, so that it stays long enough to be recognised). */
static void
apply_typo (Parts   *parts,
            guint64 *rng)
{
  char **tokens[MAX_PARTS * 3];
  guint n = 0;

  for (guint i = 0; i < parts->n_family; i++)
    if (folded_length (parts->family[i]) >= 5)
      tokens[n++] = &parts->family[i];
  for (guint i = 0; i < parts->n_middle; i++)
    if (folded_length (parts->middle[i]) >= 5)
      tokens[n++] = &parts->middle[i];
  for (guint i = 0; i < parts->n_given; i++)
    if (folded_length (parts->given[i]) >= 5)
      tokens[n++] = &parts->given[i];
  if (n == 0)
    return;

  {
    char **target = tokens[below (rng, n)];
    glong len;
    gunichar *chars = g_utf8_to_ucs4_fast (*target, -1, &len);
    gunichar *out = g_new0 (gunichar, len + 2);
    glong out_len = 0;
    guint op = below (rng, 4);
    glong pos = (glong) below (rng, (guint) len);
    gunichar letter = 'a' + below (rng, 26);

    if (op == 2 && folded_length (*target) < 6)
      op = 0;
    if (op == 1 && pos + 1 >= len)
      pos = len - 2;
    for (glong i = 0; i < len; i++)
      {
        if (i == pos)
          {
            switch (op)
              {
              case 0:   /* substitution by a letter that folds differently */
                {
                  char buf[8] = { 0, };
                  g_autofree char *old = NULL;

                  g_unichar_to_utf8 (chars[i], buf);
                  old = tp_name_fold (buf);
                  while (old[0] == (char) g_ascii_toupper ((char) letter))
                    letter = 'a' + (letter - 'a' + 1) % 26;
                  out[out_len++] = i == 0 ? g_unichar_toupper (letter) : letter;
                }
                continue;
              case 1:   /* transposition */
                out[out_len++] = chars[i + 1];
                out[out_len++] = chars[i];
                i++;
                continue;
              case 2:   /* deletion */
                continue;
              case 3:   /* insertion */
              default:
                out[out_len++] = letter;
                break;
              }
          }
        out[out_len++] = chars[i];
      }
    g_free (*target);
    *target = g_ucs4_to_utf8 (out, out_len, NULL, NULL, NULL);
    g_free (chars);
    g_free (out);
  }
}

/* One letter of a given or middle name of 2–5 letters lost (half the
 * time), two neighbours swapped or one replaced by another (a quarter
 * each): NGHĨA → NGHA, TRUNG → TRNG, MINH → MIHN. The name written
 * changes in its folded (MRZ) form too. */
static void
apply_slip (Parts   *parts,
            guint64 *rng)
{
  char **tokens[MAX_PARTS * 2];
  guint n = 0;

  for (guint i = 0; i < parts->n_middle; i++)
    if (slip_target (parts->middle[i]))
      tokens[n++] = &parts->middle[i];
  for (guint i = 0; i < parts->n_given; i++)
    if (slip_target (parts->given[i]))
      tokens[n++] = &parts->given[i];
  if (n == 0)
    return;

  {
    char **target = tokens[below (rng, n)];
    g_autofree char *before = tp_name_fold (*target);
    glong len;
    gunichar *chars = g_utf8_to_ucs4_fast (*target, -1, &len);
    guint roll = below (rng, 4);

    for (guint attempt = 0; attempt < 16; attempt++)
      {
        g_autofree gunichar *out = g_new0 (gunichar, len + 1);
        glong out_len = 0;
        glong pos = (glong) below (rng, (guint) len);
        g_autofree char *text = NULL;
        g_autofree char *after = NULL;

        for (glong i = 0; i < len; i++)
          {
            if (i != pos)
              {
                out[out_len++] = chars[i];
                continue;
              }
            if (roll <= 1)          /* lost */
              continue;
            if (roll == 2 && len >= 2)   /* swapped with the next (or the one before) */
              {
                glong other = pos + 1 < len ? pos + 1 : pos - 1;

                if (other < pos)
                  {
                    out[out_len - 1] = chars[i];
                    out[out_len++] = chars[other];
                  }
                else
                  {
                    out[out_len++] = chars[other];
                    out[out_len++] = chars[i];
                    i++;
                  }
                continue;
              }
            /* replaced by another letter */
            out[out_len++] = (i == 0 ? 'A' : 'a') + below (rng, 26);
          }
        text = g_ucs4_to_utf8 (out, out_len, NULL, NULL, NULL);
        after = tp_name_fold (text);
        /* A slip that leaves the name as it was, or no letter at all, is
         * no slip */
        if (after[0] != '\0' && !g_str_equal (after, before))
          {
            g_free (*target);
            *target = g_steal_pointer (&text);
            break;
          }
      }
    g_free (chars);
  }
}

static void
set_names (TpQuery     *q,
           const Parts *parts,
           Culture      culture,
           gboolean     with_full_name,
           gboolean     swapped_order)
{
  g_autofree char *family = join_parts ((char **) parts->family, parts->n_family, NULL, 0);
  g_autofree char *given = culture == CULTURE_VN
                         ? join_parts ((char **) parts->middle, parts->n_middle, (char **) parts->given, parts->n_given)
                         : join_parts ((char **) parts->given, parts->n_given, (char **) parts->middle, parts->n_middle);

  q->primary = tp_name_fold (family);
  q->secondary = tp_name_fold (given);
  if (with_full_name)
    {
      GString *full = g_string_new (NULL);

      if (family_first (culture) != swapped_order)
        {
          append_parts (full, (char **) parts->family, parts->n_family);
          append_parts (full, (char **) parts->middle, parts->n_middle);
          append_parts (full, (char **) parts->given, parts->n_given);
        }
      else
        {
          append_parts (full, (char **) parts->given, parts->n_given);
          append_parts (full, (char **) parts->middle, parts->n_middle);
          append_parts (full, (char **) parts->family, parts->n_family);
        }
      q->full_name = g_string_free (full, FALSE);
    }
}

/* Cuts the MRZ name at the end of a field (39 characters in TD3, 30 in TD1) */
static void
truncate_mrz (TpQuery *q,
              gsize    field)
{
  g_autofree char *mrz = tp_name_to_mrz (q->primary, q->secondary);
  char *sep;

  if (strlen (mrz) <= field)
    return;
  mrz[field] = '\0';
  g_clear_pointer (&q->primary, g_free);
  g_clear_pointer (&q->secondary, g_free);
  sep = strstr (mrz, "<<");
  if (sep != NULL)
    {
      *sep = '\0';
      q->secondary = g_strdelimit (g_strdup (sep + 2), "<", ' ');
      g_strstrip (q->secondary);
    }
  q->primary = g_strdelimit (g_strdup (mrz), "<", ' ');
  g_strstrip (q->primary);
}

static TpQuery *
traveller_query (const Person *p)
{
  TpQuery *q = tp_query_new ();

  q->issuing_state = g_strdup (p->nationality);
  q->nationality = g_strdup (p->nationality);
  q->birth_date.year = (guint16) p->year;
  q->birth_date.month = (guint8) p->month;
  q->birth_date.day = (guint8) p->day;
  q->sex = p->sex;
  return q;
}

static TpPopulationQuery *
listed_query (TpPopulation *self,
              TpQueryKind   kind,
              guint         index,
              guint64      *rng)
{
  TpPopulationQuery *out;
  TpVariation variation = kind == TP_QUERY_KIND_LISTED_NEW_DOCUMENT
                        ? TP_VARIATION_NEW_NUMBER + index % N_DOCUMENT_VARIATIONS
                        : kind == TP_QUERY_KIND_LISTED_NAME_SLIP ? TP_VARIATION_NAME_SLIP
                        : TP_VARIATION_NONE;
  guint start = below (rng, self->n_entries);
  /* A truncation needs a name longer than a TD3 field (39), or failing
   * that in a small list a TD1 field (30); failing both, a new number. */
  gsize field = 39;
  Person p;
  Parts parts;
  g_autoptr(TpEntry) entry = NULL;
  gboolean found = FALSE;
  TpQuery *q;

  for (guint pass = 0; pass < 3 && !found; pass++)
    {
      if (pass == 1 && variation != TP_VARIATION_TRUNCATED)
        break;
      if (pass == 1)
        field = 30;
      else if (pass == 2)
        variation = TP_VARIATION_NEW_NUMBER;
      for (guint k = 0; k < self->n_entries && !found; k++)
        {
          guint e = (start + k) % self->n_entries;
          gboolean effective;
          gboolean has_id = FALSE;

          person_make (self, entry_person (self, e), TRUE, &p);
          if (!suits (&p, variation, field))
            {
              person_clear (&p);
              continue;
            }
          g_clear_pointer (&entry, tp_entry_free);
          entry = tp_population_entry (self, e);
          effective = tp_entry_is_effective (entry, &self->today);
          if (kind == TP_QUERY_KIND_FORMERLY_LISTED ? effective || entry_shared (self, e) : !effective)
            {
              person_clear (&p);
              continue;
            }
          for (guint i = 0; i < entry->identifiers->len; i++)
            {
              const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

              has_id |= id->type == TP_ID_PASSPORT || id->type == TP_ID_NATIONAL_ID;
            }
          if (kind == TP_QUERY_KIND_LISTED_IDENTIFIER && !has_id)
            {
              person_clear (&p);
              continue;
            }
          /* A slip is measured against entries that know the full birth
           * date and the sex */
          if (kind == TP_QUERY_KIND_LISTED_NAME_SLIP &&
              (entry->birth_date.day == 0 || entry->sex == 0))
            {
              person_clear (&p);
              continue;
            }
          found = TRUE;
          start = e;
        }
    }
  if (!found)
    return NULL;

  out = g_new0 (TpPopulationQuery, 1);
  out->kind = kind;
  out->variation = variation;
  out->entry_index = start;
  out->entry_id = g_strdup (entry->id);
  q = out->query = traveller_query (&p);
  parts_from_person (&p, &parts);

  if (kind == TP_QUERY_KIND_LISTED_IDENTIFIER || kind == TP_QUERY_KIND_FORMERLY_LISTED)
    {
      const TpIdentifier *passport = NULL, *national_id = NULL;

      for (guint i = 0; i < entry->identifiers->len; i++)
        {
          const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

          if (id->type == TP_ID_PASSPORT)
            passport = id;
          else if (id->type == TP_ID_NATIONAL_ID)
            national_id = id;
        }
      if (passport != NULL)
        {
          q->document_number = g_strdup (passport->value);
          if (p.culture == CULTURE_VN && chance (rng, 0.7))
            q->personal_number = g_strdup (p.national_id);
        }
      else
        {
          q->document_number = g_strdup (p.passport[1]);
          if (p.culture == CULTURE_VN && (national_id != NULL || chance (rng, 0.7)))
            q->personal_number = g_strdup (p.national_id);
        }
      set_names (q, &parts, p.culture, chance (rng, 0.5), FALSE);
    }
  else
    {
      gboolean full = chance (rng, 0.5);
      gboolean swapped = FALSE;

      q->document_number = g_strdup (p.passport[1]);
      switch (variation)
        {
        case TP_VARIATION_ORDER:
          swapped = TRUE;
          break;
        case TP_VARIATION_MISSING_MIDDLE:
          {
            guint drop;

            do
              drop = below (rng, parts.n_middle);
            while (g_str_equal (parts.middle[drop], "del"));
            g_free (parts.middle[drop]);
            for (guint i = drop; i + 1 < parts.n_middle; i++)
              parts.middle[i] = parts.middle[i + 1];
            parts.middle[--parts.n_middle] = NULL;
          }
          break;
        case TP_VARIATION_TYPO:
          apply_typo (&parts, rng);
          break;
        case TP_VARIATION_NAME_SLIP:
          apply_slip (&parts, rng);
          break;
        case TP_VARIATION_TRUNCATED:
          full = FALSE;
          break;
        case TP_VARIATION_SURNAME_VARIANT:
          {
            const char *f = parts.family[0];
            const char *other = g_str_equal (f, "Hoàng") ? "Huỳnh" : g_str_equal (f, "Huỳnh") ? "Hoàng"
                              : g_str_equal (f, "Vũ") ? "Võ" : "Vũ";

            g_free (parts.family[0]);
            parts.family[0] = g_strdup (other);
          }
          break;
        case TP_VARIATION_ACCENTS_LOST:
        case TP_VARIATION_NONE:
        case TP_VARIATION_NEW_NUMBER:
        case TP_N_VARIATIONS:
        default:
          break;
        }
      if (swapped && chance (rng, 0.5))
        {
          /* A clerk swapped the fields */
          set_names (q, &parts, p.culture, full, FALSE);
          {
            char *tmp = q->primary;

            q->primary = q->secondary;
            q->secondary = tmp;
          }
        }
      else if (swapped)
        {
          /* Given names first, as a foreign issuer may write them */
          set_names (q, &parts, p.culture, full, TRUE);
          if (p.culture == CULTURE_VN)
            {
              g_autofree char *given = join_parts (parts.given, parts.n_given, parts.middle, parts.n_middle);

              g_free (q->secondary);
              q->secondary = tp_name_fold (given);
            }
        }
      else
        set_names (q, &parts, p.culture, full || variation == TP_VARIATION_ACCENTS_LOST, FALSE);
      if (variation == TP_VARIATION_ACCENTS_LOST)
        {
          char *folded = tp_name_fold (q->full_name);

          g_free (q->full_name);
          q->full_name = folded;
        }
      if (variation == TP_VARIATION_TRUNCATED)
        truncate_mrz (q, field);
    }

  parts_clear (&parts);
  person_clear (&p);
  return out;
}

static void
picker_clear (Picker *picker)
{
  g_free (picker->names);
  g_free (picker->cumulative);
}

#define INIT_LIST(which, list) picker_init (&self->pickers[which], (const char **) list, NULL, G_N_ELEMENTS (list))
#define INIT_TABLE(which, table) picker_init_weighted (&self->pickers[which], table, G_N_ELEMENTS (table))

/* Public API ---------------------------------------------------------------- */

TpPopulation *
tp_population_new (guint64      seed,
                   guint        n_entries,
                   const GDate *today)
{
  TpPopulation *self;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  self = g_new0 (TpPopulation, 1);
  self->seed = seed;
  self->n_entries = n_entries;
  self->today = *today;

  INIT_TABLE (P_VN_FAMILY, vn_family);
  INIT_TABLE (P_VN_MIDDLE_M, vn_middle_m);
  INIT_TABLE (P_VN_MIDDLE_F, vn_middle_f);
  INIT_LIST (P_VN_GIVEN_M, vn_given_m);
  INIT_LIST (P_VN_GIVEN_F, vn_given_f);
  INIT_LIST (P_CN_FAMILY, cn_family);
  INIT_LIST (P_CN_SYLLABLE, cn_syllable);
  INIT_LIST (P_KR_FAMILY, kr_family);
  INIT_LIST (P_KR_SYLLABLE, kr_syllable);
  INIT_LIST (P_EN_FAMILY, en_family);
  INIT_LIST (P_EN_GIVEN_M, en_given_m);
  INIT_LIST (P_EN_GIVEN_F, en_given_f);
  INIT_LIST (P_FR_FAMILY, fr_family);
  INIT_LIST (P_FR_GIVEN_M, fr_given_m);
  INIT_LIST (P_FR_GIVEN_F, fr_given_f);
  INIT_LIST (P_DE_FAMILY, de_family);
  INIT_LIST (P_DE_GIVEN_M, de_given_m);
  INIT_LIST (P_DE_GIVEN_F, de_given_f);
  INIT_LIST (P_ES_FAMILY, es_family);
  INIT_LIST (P_ES_GIVEN_M, es_given_m);
  INIT_LIST (P_ES_GIVEN_F, es_given_f);
  INIT_LIST (P_RU_FAMILY, ru_family);
  INIT_LIST (P_RU_GIVEN_M, ru_given_m);
  INIT_LIST (P_RU_GIVEN_F, ru_given_f);
  INIT_TABLE (P_PROVINCE, provinces);
  return self;
}

void
tp_population_free (TpPopulation *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_PICKERS; i++)
    picker_clear (&self->pickers[i]);
  g_free (self);
}

guint
tp_population_get_n_entries (TpPopulation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_entries;
}

const GDate *
tp_population_get_today (TpPopulation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->today;
}

GPtrArray *
tp_population_entry_history (TpPopulation *self,
                             guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_entries, NULL);

  return make_history (self, index);
}

TpEntry *
tp_population_entry (TpPopulation *self,
                     guint         index)
{
  g_autoptr(GPtrArray) history = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_entries, NULL);

  history = make_history (self, index);
  return g_ptr_array_steal_index (history, history->len - 1);
}

TpPopulationQuery *
tp_population_query (TpPopulation *self,
                     TpQueryKind   kind,
                     guint         index)
{
  guint64 rng;
  TpPopulationQuery *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind < TP_QUERY_N_KINDS, NULL);

  rng = stream (self->seed, SALT_QUERY + kind, index);
  if (kind != TP_QUERY_KIND_NOT_LISTED)
    {
      if (self->n_entries == 0)
        return NULL;
      out = listed_query (self, kind, index, &rng);
    }
  else
    {
      Person p;
      Parts parts;

      /* People past the listed ones are never listed. */
      person_make (self, (guint64) self->n_entries + 1 + index, TRUE, &p);
      out = g_new0 (TpPopulationQuery, 1);
      out->kind = kind;
      out->variation = TP_VARIATION_NONE;
      out->query = traveller_query (&p);
      out->query->document_number = g_strdup (p.passport[0]);
      if (p.culture == CULTURE_VN && chance (&rng, 0.7))
        out->query->personal_number = g_strdup (p.national_id);
      parts_from_person (&p, &parts);
      set_names (out->query, &parts, p.culture, chance (&rng, 0.5), FALSE);
      parts_clear (&parts);
      person_clear (&p);
    }
  if (out != NULL)
    out->query->id = g_strdup_printf ("%s-%u", kind_names[kind], index);
  return out;
}

void
tp_population_query_free (TpPopulationQuery *query)
{
  if (query == NULL)
    return;
  tp_query_free (query->query);
  g_free (query->entry_id);
  g_free (query);
}

const char *
tp_query_kind_to_string (TpQueryKind kind)
{
  g_return_val_if_fail (kind < TP_QUERY_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
tp_query_kind_from_string (const char  *s,
                           TpQueryKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; s != NULL && i < TP_QUERY_N_KINDS; i++)
    if (g_str_equal (s, kind_names[i]))
      {
        *out = (TpQueryKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tp_variation_to_string (TpVariation variation)
{
  g_return_val_if_fail (variation < TP_N_VARIATIONS, NULL);

  return variation_names[variation];
}
