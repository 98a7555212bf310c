# Indonesian phrase spec for scripts/intent_data/gen.py (written for Meridian): formal and
# everyday chat forms ("gimana", "udah", "kak", "min"). Verb phrases fit "saya mau ...",
# "bagaimana cara ...".

FRAMES = [
    "saya mau {vp}", "Saya ingin {vp}", "aku mau {vp}", "saya perlu {vp}", "Bagaimana cara {vp}?", "gimana cara {vp}",
    "gmn cara {vp}", "tolong bantu saya {vp}", "Bisa bantu saya {vp}?", "bisa bantu {vp} ga", "saya tidak tahu cara {vp}",
    "aku ga tau cara {vp}", "Apakah bisa {vp}?", "bisa {vp} nggak?", "Di mana saya bisa {vp}?", "saya harus {vp}",
    "saya lagi coba {vp} tapi gagal", "Apa yang harus saya lakukan untuk {vp}?", "min, mau {vp}", "kak, aku pengen {vp}",
    "Mohon bantuannya untuk {vp}", "pengen {vp}",
]

NOISE = {
    "pre": ["Halo, ", "halo kak ", "Selamat pagi, ", "Permisi, ", "hai min ", "Siang kak, ", "gan, "],
    "post": [" ya", " dong", " kak", " min", " tolong", ", makasih", " terima kasih", " segera", "!!", " plis"],
}

INTENTS = {
    "cancel_order": {
        "vp": ["membatalkan pesanan", "membatalkan pesanan {{Order Number}}", "batalin pesanan", "membatalkan pembelian",
               "membatalkan pesanan terakhir", "cancel order saya", "membatalkan pesanan kemarin"],
        "full": ["pembatalan pesanan", "Tolong batalkan pesanan saya {{Order Number}}", "udah ga butuh, batalin aja pesanannya",
                 "Saya salah pesan, bisa dibatalkan?", "Pesanan masih bisa dibatalkan?", "batalkan pesanan"],
    },
    "change_order": {
        "vp": ["mengubah pesanan", "mengubah pesanan {{Order Number}}", "menambah barang ke pesanan", "menghapus barang dari pesanan",
               "ganti ukuran di pesanan", "mengubah jumlah pesanan", "edit pesanan"],
        "full": ["perubahan pesanan", "Saya salah pilih warna, bisa diganti?", "Ada yang salah di pesanan saya",
                 "mau 2 bukan 1 di pesanan", "Ganti barang di pesanan {{Order Number}}"],
    },
    "change_shipping_address": {
        "vp": ["mengubah alamat pengiriman", "ganti alamat kirim", "mengubah alamat pesanan {{Order Number}}",
               "memperbaiki alamat pengiriman", "kirim pesanan ke alamat lain"],
        "full": ["Saya pindah rumah, alamat pengiriman harus diganti", "Alamat di pesanan salah", "salah ketik alamat",
                 "Ganti alamat untuk pengiriman", "Kirim ke {{Delivery City}} aja", "ubah alamat pengiriman"],
    },
    "set_up_shipping_address": {
        "vp": ["menambahkan alamat pengiriman", "membuat alamat pengiriman baru", "mengatur alamat pengiriman",
               "menyimpan alamat di akun", "menambah alamat kedua"],
        "full": ["Saya tidak bisa menambahkan alamat pengiriman", "Di mana tambah alamat kirim?", "Error waktu simpan alamat baru",
                 "belum ada alamat pengiriman di akun saya"],
    },
    "cancellation_fee": {
        "vp": ["tahu biaya pembatalan", "cek biaya pembatalan", "tahu berapa biaya kalau batal"],
        "full": ["Ada biaya pembatalan?", "Berapa biaya untuk membatalkan?", "biaya pembatalan", "Kalau batal harus bayar?",
                 "Pembatalan gratis ga?", "kena denda ga kalau batalin pesanan?"],
    },
    "check_invoice": {
        "vp": ["melihat invoice saya", "cek invoice {{Invoice Number}}", "menemukan faktur saya", "cek tagihan pesanan {{Order Number}}",
               "lihat faktur terakhir"],
        "full": ["Di mana saya bisa lihat invoice?", "Faktur saya di mana?", "invoice ga ketemu", "Tunjukkan invoice saya",
                 "invoice {{Invoice Number}}?", "Di mana lihat faktur di akun?"],
    },
    "invoice_request": {
        "vp": ["mendapatkan invoice", "download invoice {{Invoice Number}}", "minta salinan faktur", "minta faktur pajak",
               "dapat invoice lewat email", "minta invoice atas nama perusahaan"],
        "full": ["Tolong kirimkan invoice", "Saya butuh faktur", "invoice dong", "Invoice belum saya terima, tolong dikirim",
                 "Bisa buatkan faktur?", "kirim invoice ke {{Email Address}}"],
    },
    "payment_methods": {
        "vp": ["bayar pakai GoPay", "bayar pakai kartu kredit", "bayar cicilan", "bayar COD", "lihat metode pembayaran",
               "bayar lewat transfer bank", "bayar pakai OVO"],
        "full": ["Metode pembayaran apa saja yang diterima?", "Bisa bayar pakai PayPal?", "metode pembayaran", "Bayarnya gimana?",
                 "Bisa cicilan ga?", "Ada COD?", "bisa bayar pakai virtual account?"],
    },
    "payment_issue": {
        "vp": ["melaporkan masalah pembayaran", "mengatasi masalah pembayaran", "menyelesaikan error pembayaran"],
        "full": ["Pembayaran saya ditolak", "ga bisa bayar", "Pembayarannya gagal terus", "Saldo terpotong dua kali",
                 "pembayaran gagal", "Error waktu bayar", "Uang udah kepotong tapi pesanan ga ada", "Kartu saya selalu ditolak",
                 "Masalah pembayaran"],
    },
    "refund_policy": {
        "vp": ["tahu kebijakan refund", "membaca syarat pengembalian dana", "tahu kapan saya bisa dapat refund"],
        "full": ["Apa kebijakan pengembalian dana kalian?", "Ada garansi uang kembali?", "Dalam kasus apa bisa refund?",
                 "kebijakan refund", "Berapa hari batas pengajuan refund?", "Ongkir ikut dikembalikan ga?"],
    },
    "refund_request": {
        "vp": ["minta refund", "mendapatkan pengembalian dana", "uang saya kembali", "mengajukan refund",
               "refund pesanan {{Order Number}}", "refund {{Refund Amount}}"],
        "full": ["Saya mau uang saya kembali", "Tolong refund", "refund dong", "Saya menuntut pengembalian dana",
                 "Balikin uang saya", "Gimana cara dapat refund?", "Minta refund {{Refund Amount}}"],
    },
    "refund_status": {
        "vp": ["cek status refund", "melacak pengembalian dana", "tahu kapan refund masuk", "memastikan refund sudah diproses"],
        "full": ["Refund saya mana?", "Refund belum masuk", "status refund", "Kapan uang saya balik?",
                 "Refundnya udah diproses belum?", "dana belum kembali juga", "Ada kabar soal refund saya?"],
    },
    "complaint": {
        "vp": ["mengajukan keluhan", "komplain", "komplain soal pelayanan", "melaporkan keluhan tentang petugas",
               "membuat pengaduan resmi"],
        "full": ["Saya sangat kecewa dengan pelayanan kalian", "Ini keterlaluan!", "CS kalian jelek banget", "Saya mau komplain",
                 "keluhan", "Petugasnya ga sopan", "Udah capek sama toko ini", "Di mana saya bisa komplain?"],
    },
    "review": {
        "vp": ["kasih ulasan", "menulis review", "memberi rating produk", "menilai pelayanan", "kasih feedback",
               "menulis komentar"],
        "full": ["Di mana kasih ulasan?", "Saya mau kasih masukan", "ulasan", "Barangnya bagus, mau kasih bintang 5",
                 "Gimana cara kasih rating?", "Saya punya saran buat kalian"],
    },
    "contact_customer_service": {
        "vp": ["menghubungi customer service", "telepon CS", "menghubungi layanan pelanggan", "email ke customer service",
               "tahu nomor CS"],
        "full": ["Bagaimana menghubungi customer service?", "Jam operasional CS kapan?", "nomor CS berapa?", "layanan pelanggan",
                 "Gimana cara hubungi kalian?", "Ada email CS?"],
    },
    "human_agent": {
        "vp": ["bicara dengan manusia", "ngobrol sama orang asli", "bicara dengan agen", "disambungkan ke CS manusia",
               "chat dengan admin asli"],
        "full": ["agen dong", "Saya mau bicara dengan orang sungguhan", "Sambungkan ke petugas", "kamu bot? aku mau manusia",
                 "jangan bot, orang aja", "Ada orang beneran ga?"],
    },
    "create_account": {
        "vp": ["membuat akun", "bikin akun", "daftar", "membuat akun {{Account Type}}", "membuka akun baru"],
        "full": ["akun baru", "pembuatan akun", "Gimana cara daftar?", "Saya belum punya akun", "pendaftaran",
                 "Mau jadi member"],
    },
    "delete_account": {
        "vp": ["menghapus akun", "menutup akun saya", "hapus akun {{Account Type}}", "menonaktifkan akun", "hapus profil saya"],
        "full": ["hapus akun", "Tolong hapus akun saya", "Udah ga mau punya akun", "tutup akun", "Gimana cara hapus profil?"],
    },
    "edit_account": {
        "vp": ["mengubah data akun", "memperbarui data pribadi", "edit profil", "ganti nomor HP", "ganti nama di akun",
               "ganti email akun"],
        "full": ["pengaturan akun", "Data di akun saya salah", "ubah profil", "Di mana ganti data pribadi?", "Nomor HP saya udah ganti"],
    },
    "switch_account": {
        "vp": ["pindah ke akun {{Account Type}}", "ganti akun", "mengubah jenis akun", "upgrade akun", "beralih ke akun lain"],
        "full": ["ganti akun", "upgrade ke premium", "Gimana pindah antar akun?", "Saya lebih mau akun {{Account Type}}",
                 "pindah akun"],
    },
    "recover_password": {
        "vp": ["reset password", "memulihkan kata sandi", "dapat password baru", "memulihkan akses akun"],
        "full": ["Saya lupa kata sandi", "lupa password", "reset kata sandi", "ga bisa login, lupa password",
                 "Email reset ga masuk", "kirimin password baru dong"],
    },
    "registration_problem": {
        "vp": ["melaporkan masalah pendaftaran", "mengatasi error waktu daftar"],
        "full": ["Saya tidak bisa daftar", "Pendaftaran ga jalan", "Error saat registrasi", "Muncul error waktu bikin akun",
                 "Email verifikasi pendaftaran ga masuk", "masalah registrasi", "Katanya email saya sudah terdaftar"],
    },
    "newsletter_subscription": {
        "vp": ["berlangganan newsletter", "berhenti langganan newsletter", "menerima newsletter", "unsubscribe newsletter"],
        "full": ["newsletter", "Jangan kirim email lagi", "berhenti berlangganan", "Gimana cara unsubscribe newsletter?",
                 "Email promo kebanyakan", "Daftarin saya ke newsletter"],
    },
    "place_order": {
        "vp": ["membuat pesanan", "beli barang", "memesan produk", "beli beberapa barang", "pesan {{Product}}", "checkout"],
        "full": ["Gimana cara pesan?", "pesanan baru", "mau beli sesuatu", "Bisa pesan lewat telepon?", "Mau order ini"],
    },
    "delivery_options": {
        "vp": ["lihat opsi pengiriman", "pilih pengiriman kilat", "tahu jenis pengiriman", "ambil pesanan di toko",
               "pakai kurir lain"],
        "full": ["Ada pilihan pengiriman apa aja?", "Ada same day?", "opsi pengiriman", "Kirim hari Minggu ga?",
                 "Bisa kirim ke {{Delivery City}}?", "Bisa ambil sendiri di toko?"],
    },
    "delivery_time": {
        "vp": ["tahu kapan pesanan sampai", "tahu estimasi pengiriman", "cek tanggal sampai", "tahu berapa lama pengiriman"],
        "full": ["Kapan pesanan saya sampai?", "Pengiriman berapa lama?", "estimasi pengiriman", "Kapan nyampe?",
                 "Perkiraan tanggal tiba?", "Sampai sebelum Jumat ga?", "Ke {{Delivery City}} berapa hari?"],
    },
    "order_status": {
        "vp": ["cek status pesanan", "cek status pesanan {{Order Number}}", "tahu kabar pesanan saya", "cek pesanan udah dikirim belum"],
        "full": ["Pesanan saya di mana?", "status pesanan", "Pesanan saya sudah dikirim?", "Pesanan saya kenapa ya?",
                 "Status pesanan {{Order Number}}", "Pesanan udah dikonfirmasi?", "pesanan masih diproses terus",
                 "Ada update pesanan saya?"],
    },
    "track_shipment": {
        "vp": ["lacak pesanan", "melacak paket", "lacak paket {{Order Number}}", "dapat nomor resi", "cek resi"],
        "full": ["Paket saya di mana?", "minta nomor resi", "Resi ga update", "Katanya terkirim tapi ga ada paket",
                 "Paketnya nyangkut", "Kurirnya siapa?", "lacak paket"],
    },
}

DEV_PER_INTENT = 12

DEV_FRAMES = [
    "Selamat siang, saya menulis karena saya berkeinginan {vp}.",
    "nanya dong, boleh {vp}?",
    "urgent nih, harus {vp}",
    "jelasin dong caranya {vp}",
    "Mohon informasinya bagaimana langkah {vp}",
]

DEV_INTENTS = {
    "cancel_order": {"vp": ["batalin barang yang kubeli semalam", "membatalkan order tadi pagi"],
                     "full": ["Jangan kirim pesanan {{Order Number}}, saya batalkan", "aku pesan dobel, batalin satu"]},
    "change_order": {"vp": ["ganti warna sweater di pesanan", "nambahin kaos kaki ke pesanan yang belum dikirim"],
                     "full": ["Ukuran di pesanan saya perlu dinaikkan satu", "Pesanan yang sudah masuk masih bisa diubah?"]},
    "change_shipping_address": {"vp": ["mengalihkan pesanan ke kantor", "membetulkan nomor rumah di pesanan"],
                                "full": ["Saya mau pindahan, pesanan bisa dikirim ke {{Delivery City}}?", "Aku masukin alamat lama di pesanan"]},
    "set_up_shipping_address": {"vp": ["simpan alamat utama untuk pengiriman", "menambah alamat kantor sebagai alamat kirim"],
                                "full": ["Akun saya belum ada alamat sama sekali, isinya di mana?", "Bisa simpan beberapa alamat kirim?"]},
    "cancellation_fee": {"vp": ["tahu berapa biaya kalau saya batalkan", "tahu batal itu bayar atau tidak"],
                         "full": ["Kalau batal sekarang ada potongan?", "Biaya batalin berapa?"]},
    "check_invoice": {"vp": ["lihat tagihan pesanan bulan Mei", "cek riwayat invoice"],
                      "full": ["Invoice munculnya di menu apa?", "Lagi cari invoice {{Invoice Number}}, di mana ya?"]},
    "invoice_request": {"vp": ["terima invoice dalam PDF", "dapat faktur pakai NPWP saya"],
                        "full": ["Bagian keuangan butuh faktur untuk pesanan {{Order Number}}", "Belum pernah dapat invoice, tolong kirim"]},
    "payment_methods": {"vp": ["bayar pakai kartu Visa", "membagi pembayaran jadi beberapa kali"],
                        "full": ["Terima Apple Pay atau cuma kartu?", "Transfer bank bisa?"]},
    "payment_issue": {"vp": ["beresin masalah kartu ditolak", "tahu kenapa saldo kepotong dua kali"],
                      "full": ["Tiap bayar muncul transaksi gagal", "Bank udah potong tapi di web belum dibayar"]},
    "refund_policy": {"vp": ["paham aturan pengembalian uang", "tahu barang diskon bisa direfund atau tidak"],
                      "full": ["Syarat dan ketentuan soal refund gimana?", "Refund penuh atau cuma voucher?"]},
    "refund_request": {"vp": ["uangnya dikembalikan ke kartu", "dapat ganti rugi untuk lampu yang rusak"],
                       "full": ["Barang udah saya retur, sekarang mau uangnya", "Tolong kembalikan yang sudah saya bayar"]},
    "refund_status": {"vp": ["tahu refund saya udah sampai mana", "cek refundnya udah dikirim belum"],
                      "full": ["Refund disetujui 10 hari lalu dan belum ada apa-apa", "Refund {{Order Number}} udah jalan belum?"]},
    "complaint": {"vp": ["mengadu secara resmi soal pengalaman saya", "komplain tentang karyawan kalian"],
                  "full": ["Saya sangat tidak puas dengan penanganan kasus saya", "Toko kalian bikin masalah terus"]},
    "review": {"vp": ["kasih nilai barang yang saya terima", "nulis sedikit tentang pelayanan"],
               "full": ["Mau bilang pelayanannya mantap", "Kasih bintang ke produk di mana?"]},
    "contact_customer_service": {"vp": ["menghubungi layanan pelanggan lewat telepon", "dapat kontak CS"],
                                 "full": ["Hotline buka jam berapa?", "CS buka hari Sabtu Minggu?"]},
    "human_agent": {"vp": ["chat sama manusia beneran", "ngomong sama salah satu staf kalian"],
                    "full": ["Bot ini ga guna, mau manusia", "Ada orang asli yang bisa diajak ngobrol?"]},
    "create_account": {"vp": ["daftar di website kalian", "punya akun pelanggan di sini"],
                       "full": ["Saya baru, gimana dapat akun?", "Alur daftar pelanggan baru gimana?"]},
    "delete_account": {"vp": ["menghapus akun pelanggan sepenuhnya", "hapus profil selamanya"],
                       "full": ["Hapus akun dan semua data saya", "Ga mau jadi pelanggan lagi, tutup akunnya"]},
    "edit_account": {"vp": ["ganti nomor telepon di profil", "benerin data pribadi yang salah"],
                     "full": ["Nama belakang saya salah tulis di akun", "Saya baru nikah, nama di akun harus diganti"]},
    "switch_account": {"vp": ["pindah dari akun {{Account Type}} ke akun {{Account Type}}", "beralih ke akun bisnis"],
                       "full": ["Keanggotaan bisa dinaikkan ke {{Account Type}}?", "Gimana pindah-pindah antara dua profil?"]},
    "recover_password": {"vp": ["bikin password baru karena lupa yang lama", "masuk lagi tanpa password"],
                         "full": ["Ga bisa masuk, password hilang", "Email buat reset ga pernah datang"]},
    "registration_problem": {"vp": ["menyelesaikan pendaftaran yang macet", "lewatin error di form daftar"],
                             "full": ["Tiap daftar halamannya error", "Ga ada email aktivasi setelah daftar"]},
    "newsletter_subscription": {"vp": ["tidak menerima newsletter kalian lagi", "dapat newsletter mingguan"],
                                "full": ["Email iklan masuk terus, tolong unsubscribe", "Ada newsletter yang bisa saya ikuti?"]},
    "place_order": {"vp": ["beli sepatu sneakers biru", "order dua kemeja"],
                    "full": ["Mau belanja beberapa barang di sini", "Cara order di web gimana?"]},
    "delivery_options": {"vp": ["ambil paket di titik pengambilan", "pilih pengiriman yang lebih cepat"],
                         "full": ["Ada ekspres atau cuma reguler?", "Pilihan kirim saya apa aja?"]},
    "delivery_time": {"vp": ["tahu berapa hari kirim ke {{Delivery City}}", "tahu perkiraan tanggal sampai"],
                      "full": ["Barangku harus nunggu berapa lama?", "Kalau pesan hari ini, kapan diantar?"]},
    "order_status": {"vp": ["tahu pesanan saya lagi gimana", "lihat belanjaan saya udah diproses belum"],
                     "full": ["Ada kabar baru soal pesanan minggu lalu?", "Pesanan masih dalam proses?"]},
    "track_shipment": {"vp": ["melacak paket secara online", "dapat nomor resi paket"],
                       "full": ["Boleh minta nomor resi paketnya?", "Halaman lacak ga berubah-ubah"]},
}

# More wording for the confusable intents (added after reading dev errors; other phrasings).
EXTRA = {
    "change_order": {"vp": ["nambah produk lain ke pesanan", "mengeluarkan barang dari pesanan", "mengganti produk di pesanan",
                            "ganti warna barang yang dipesan"]},
    "change_shipping_address": {"vp": ["kirim pesanan ke kantor", "kirim pesanan {{Order Number}} ke rumah baru",
                                       "membetulkan nama jalan di pesanan", "ganti tempat pengiriman pesanan"]},
    "check_invoice": {"vp": ["lihat daftar invoice", "cek riwayat tagihan", "lihat detail invoice"]},
    "invoice_request": {"vp": ["dikirimi invoice", "dapat salinan invoice", "dibuatkan faktur"]},
    "payment_methods": {"vp": ["bayar pakai Apple Pay", "bayar dicicil", "bayar pas paket sampai"], "full": ["Kartu apa aja yang bisa?"]},
    "payment_issue": {"vp": ["beresin tagihan dobel", "tahu kenapa kartu saya ditolak"],
                      "full": ["Tiap bayar muncul transaksi ditolak", "Bank udah potong tapi pesanan belum dibayar"]},
    "refund_request": {"vp": ["dapat kembali uang yang saya bayar", "dapat ganti rugi", "refund ke kartu saya"],
                       "full": ["Barang udah saya balikin, mana uang saya"]},
    "refund_status": {"vp": ["tahu refund udah dikirim belum", "cek kalian udah balikin uang saya belum"], "full": ["Refund saya udah sampai mana?"]},
    "review": {"vp": ["kasih bintang ke produk", "nulis pendapat soal pelayanan", "menilai barang yang saya terima"],
               "full": ["Pelayanannya bagus banget, mau bilang aja"]},
    "complaint": {"full": ["Saya sangat kecewa dengan cara kasus saya ditangani", "Toko kalian bikin masalah terus"]},
    "create_account": {"vp": ["daftar di website", "jadi pelanggan kalian", "bikin user baru"]},
    "registration_problem": {"full": ["Ga bisa bikin akun, muncul error", "Daftarnya macet terus"]},
    "human_agent": {"vp": ["ngobrol sama staf kalian", "chat sama manusia beneran"]},
    "delete_account": {"vp": ["hapus akun permanen", "hapus data dan akun saya"]},
    "edit_account": {"vp": ["ganti nama belakang di profil", "membetulkan data yang salah"]},
}

# Round 2: more everyday vocabulary.
EXTRA["order_status"] = {"vp": ["tahu pesanan saya udah diproses belum", "cek perkembangan pesanan", "lihat kabar belanjaan saya"]}
EXTRA["newsletter_subscription"] = {"vp": ["langganan email promo", "stop terima email promo", "ikut mailing list"]}
EXTRA["place_order"] = {"vp": ["belanja di sini", "beli sepatu", "order beberapa barang"]}
EXTRA["payment_methods"] = {"vp": ["bayar pakai kartu Visa", "bayar pakai ShopeePay", "bayar pakai Dana", "bayar pakai transfer"],
                            "full": ["Bisa bayar pakai apa aja?", "Metode bayarnya apa saja kak?"]}
EXTRA["refund_policy"] = {"vp": ["tahu aturan refund", "tahu syarat uang kembali", "tahu barang diskon bisa refund ga"],
                          "full": ["Ketentuan refund gimana?", "Aturan pengembalian dana seperti apa?"]}
EXTRA["change_order"] = {"vp": ["nambah barang di pesanan", "ubah isi pesanan", "ganti ukuran barang di pesanan"]}
