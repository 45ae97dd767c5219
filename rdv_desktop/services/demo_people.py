"""Names for demo data: French and foreign, with accents, hyphens and non-Latin scripts."""

FAMILY_NAMES = (
    "Diallo", "Traoré", "Nguyễn", "Benali", "Haddad", "Kowalski", "Oliveira", "Mbappé-Ndiaye",
    "Ørsted-Ali", "Çelik", "Ivanova", "Bouzid", "Fernández", "Koné", "Ben Salah", "Zhang",
    "Petrović", "Da Silva", "El Amrani", "Mendy", "Okafor", "Rakotomalala", "Yılmaz", "Gomes",
    "Sissoko", "Amrani", "Kamara", "Popescu", "Lefèvre-Diop", "Abdelkader", "Ramírez", "Tran",
    "Ahmadi", "Nasser", "Kuznetsov", "Sow", "Hakimi", "Dembélé", "Cissé", "Mahamat",
    "بن علي",
)
GIVEN_NAMES = (
    "Aïssatou", "Mamadou", "Thị Ánh", "Karim", "Léa", "Oumar", "Fatoumata", "João",
    "Zeynep", "Olena", "Youssef", "Inès", "Moussa", "Mariam", "Ngọc Hân", "Ahmed",
    "Bintou", "Élodie", "Hamza", "Amina", "Dragana", "Chukwuemeka", "Rina", "Hélène-Marie",
    "Ibrahima", "Salomé", "Wei", "Nour", "Abdoulaye", "Kadiatou",
)
NATIONALITIES = (
    "malienne", "sénégalaise", "vietnamienne", "algérienne", "marocaine", "tunisienne",
    "ivoirienne", "guinéenne", "turque", "ukrainienne", "brésilienne", "chinoise", "comorienne",
    "camerounaise", "afghane", "serbe", "nigériane", "malgache", "congolaise", "russe",
)
BIRTH_PLACES = (
    "Bamako", "Dakar", "Hà Nội", "Alger", "Casablanca", "Tunis", "Abidjan", "Conakry",
    "İzmir", "Kyiv", "São Paulo", "Wuhan", "Moroni", "Douala", "Kaboul", "Niš", "Lagos",
    "Antananarivo", "Kinshasa", "Saint-Pétersbourg",
)
