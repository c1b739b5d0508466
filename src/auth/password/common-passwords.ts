// A compact built-in list of the most common passwords (ASVS 6.2.4/6.2.12, NIST 800-63B-4
// §3.1.1.2 blocklist; SECURITY.md item 2). Compiled from public "most common passwords" lists
// (breach corpora top entries, yearly top-password reports) plus words that users in this
// portal's market put in front of digits: seasons, months, Japanese cities, names and culture,
// business and IT words. It is not a breach corpus: a deployment may add a larger list later.
//
// Matching rule (isCommonPassword), all comparisons on a lower-cased copy, never on the stored
// password (SECURITY item 1):
//   1. the whole password, and the same with whitespace removed (NIST passphrases: "i love you");
//   2. the "core": leading and trailing non-letters stripped ("!Summer2024!" → "summer",
//      "Qwerty123" → "qwerty", "Tokyo2020" → "tokyo"), only when the core has ≥ 4 code points;
//   3. every candidate of 1–2 with leetspeak undone (@,4→a 3→e 1,!→i or l 0→o $,5→s 7→t |→l):
//      "P@ssw0rd!" → core "p@ssw0rd" → "password"; "hell0" → "hello";
//   4. a password or core made of one repeated character ("Aaaaaaa1", "00000000").
// A candidate is common when it is in the list. The list is built into a Set once, at import.

const WORDS = `
123456 123456789 12345678 12345 1234567 1234567890 1234 111111 000000 123123 654321 666666
121212 112233 123321 7777777 555555 987654321 11111111 12341234 1111 0000 1111111 88888888
00000000 123654 159753 147258369 789456123 987654 159357 147258 456789 123qwe 12344321 11223344
1234554321 123654789 147852369 951753 852456 741852963 369258147 321654 101010 131313 202020
212121 232323 252525 696969 789789 456123 123789 147852 258456 520520 5201314 1314520 19841984
12121212 21212121 13131313 123698745 0123456789 9876543210 102030 10203040 1q2w3e 1q2w3e4r
1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 zaq12wsx zaq1zaq1 zaq1xsw2 !qaz2wsx 1qaz@wsx
qwerty qwertyuiop qwerty1 qwerty12 qwerty123 qwerty1234 qwert qwer1234 qwe123 qweasd qweasdzxc
qweqwe q1w2e3r4 q1w2e3r4t5 q1w2e3 asdf asdfgh asdfghjkl asdf1234 asd123 asdasd asdqwe zxcvbn
zxcvbnm zxcv1234 zxc123 qazwsx qazwsxedc qwaszx azerty azertyuiop qwertz qwertzuiop poiuytrewq
poiuyt mnbvcxz lkjhgfdsa 1234qwer 123asd 123abc abc123 abc1234 abc12345 abcd1234 abcd abcde abcdef
abcdefg abcdefgh abcdefghi a12345 a123456 a1234567 a12345678 aa123456 aa12345678 a1b2c3 a1b2c3d4
1a2b3c 123456a 12345a 1234a 123456aa 123aaa qq123456 q123456 q1234567 zz123456 aaaaaa aaa111
password password1 password12 password123 password1234 password2 password01 passw0rd p@ssw0rd
p@ssword pa$$word pa55word passwd pass pass123 pass1234 pass12 passpass passport password!
password1! p4ssw0rd pwd123 mypassword newpassword oldpassword changeme change123 changeit secret
secret123 topsecret letmein letmein1 letmein123 welcome welcome1 welcome123 welcome2 welcome12
iloveyou iloveyou1 iloveu loveyou love123 lovely lover loveme love trustno1 whatever nothing
monkey dragon master shadow sunshine princess football baseball basketball soccer hockey golf
tennis superman batman spiderman ironman hulk starwars startrek pokemon pikachu charizard naruto
sasuke goku vegeta dragonball onepiece luffy doraemon totoro ghibli sailormoon gundam hellokitty
kitty hello hello123 hellohello helloworld welcometo freedom access access14 mustang michael
jennifer hunter hunter2 ashley charlie jordan jordan23 harley ranger buster thomas robert matthew
daniel andrew joshua jessica amanda nicole michelle justin taylor tigger tiger summer winter
spring autumn fall sunday monday tuesday wednesday thursday friday saturday january february
march april june july august september october november december merlin cookie cheese pepper
ginger maggie bailey chelsea arsenal liverpool manutd barcelona realmadrid juventus chelsea1
computer internet network server system admin admin1 admin12 admin123 admin1234 administrator
adminadmin root toor user user123 guest guest123 test test1 test12 test123 test1234 testing
tester demo demo123 default login login123 logon qwerty1! temp temp123 temppass manager support
service office company business portal intranet oracle mysql postgres database sql sysadmin
webadmin webmaster master123 letmein! superuser supervisor operator backup
sakura tokyo osaka kyoto nagoya yokohama kobe fukuoka sapporo sendai hiroshima okinawa hokkaido
nihon nippon japan japanese tokyo2020 fujisan fuji samurai ninja sushi ramen tempura sakura1
hanako taro tarou hiroshi takeshi kenji yuki yukiko haruka hikari sora hana miki akira kazuki
daisuke shota yuta ryota sho kaito riku ren hinata yui aoi mei kaori naoko tomoko keiko yoko
tanaka suzuki satou sato takahashi watanabe yamada yamamoto nakamura kobayashi katou kato yoshida
yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto ishikawa
ogawa okada maeda fujita goto okamoto hasegawa murakami kondo ishii saito sakamoto endo aoki
doragon anpanman kamisama kawaii arigatou arigato konnichiwa ohayou sayonara daisuki aishiteru
tomodachi neko inu kuma usagi hoshi tsuki yume kokoro ai
soccer1 football1 baseball1 princess1 monkey1 dragon1 shadow1 master1 sunshine1 superman1
michael1 jordan1 charlie1 jessica1 ashley1 hunter1 tigger1 batman1 killer killer1 killer123
fuckyou fuckoff fuck asshole bitch biteme shit dick pussy sexy sex sexsex hottie hotmail gmail
yahoo google facebook twitter instagram youtube linkedin microsoft windows apple iphone android
samsung sony nintendo playstation xbox minecraft fortnite roblox zelda mario pacman tetris
matrix neo trinity morpheus gandalf frodo hobbit legolas aragorn voldemort harrypotter hermione
hogwarts pokemon1 digimon yugioh zxcvbnm1 asdfghjk qwertyui 1qaz 2wsx zaq1 xsw2 1111aaaa
aaaa1111 aaaa aaaaa aaaaaaa aaaaaaaa abcabc abc abcabc123 aabbcc aabbccdd 1a2s3d4f q1q1q1q1
a1a1a1a1 z1x2c3v4 1z2x3c4v zxcasdqwe qazxsw 1qa2ws3ed qwerasdf qwertasdfg asdfzxcv 1234asdf
michelle1 jennifer1 nicole1 daniel1 andrew1 thomas1 robert1 joshua1 matthew1 taylor1 justin1
anthony william david richard charles joseph christopher james john mary patricia linda barbara
elizabeth susan sarah karen nancy lisa betty margaret sandra donna carol emily emma olivia sophia
isabella mia abigail madison chloe grace hannah samantha victoria lauren rachel megan brittany
amber crystal heather melissa stephanie angela rebecca kimberly natasha nathalie alexandra
alexander alex alexis benjamin brandon christian cameron dylan eric ethan gabriel isaac jacob
jason jeremy jonathan kevin kyle logan lucas mark martin nathan nicholas noah patrick peter
ryan samuel scott sean steven tyler victor zachary george edward henry jack oliver harry
charlie12 dakota austin dallas chicago boston london paris berlin madrid rome moscow newyork
california florida texas canada america usa england france germany italy spain russia china
korea seoul beijing shanghai bangkok singapore sydney australia brazil mexico india
orange banana apple1 cherry strawberry chocolate vanilla coffee sugar honey candy cupcake muffin
pumpkin peanut butter butterfly flower rainbow sunflower rose daisy lily jasmine violet purple
yellow green blue red black white silver golden gold diamond crystal1 pearl ruby emerald sapphire
angel angels angel1 devil demon heaven hell jesus christ god lucky lucky7 lucky13 magic wizard
secret1 hidden private unknown nobody someone somebody everyone anything something
family friends friend bestfriend forever always together myself mylove baby babygirl babyboy
sweety sweetie sweetheart honey1 darling dear beautiful pretty cute handsome sunshine12 smile
happy happy1 happiness funny crazy cool coolguy player player1 gamer gaming game games winner
champion warrior soldier fighter killer12 hunter12 sniper ninja123 samurai1 dragon12 phoenix
tiger1 lion eagle falcon hawk wolf wolves bear panda monkey12 donkey horse pony unicorn dolphin
shark whale turtle rabbit bunny puppy doggie doggy kitten kitty1 snoopy scooby garfield mickey
minnie mickeymouse donald goofy pluto simba nemo dory elmo barney bubbles blossom buttercup
asdfasdf qwerqwer zxczxc 123qweasd 123qweasdzxc qwe123qwe 1q2w3e4r5 q1w2e3r4t5y6 qwerty12345
1234567a 12345678a 123456789a 1234qwer! 1qaz!qaz passw0rd1 p@ssw0rd1 p@55w0rd p@$$w0rd pa$$w0rd
passwort motdepasse contrasena contraseña senha parola wachtwoord haslo salasana losenord
adgangskode jelszo heslo lozinka sifre kennwort geheim geheim123 hallo hallo123 ciao bonjour
soleil chouchou doudou loulou nounours azerty123 qwertz123
summer2020 summer2021 summer2022 summer2023 summer2024 summer2025 winter2020 winter2021
winter2022 winter2023 winter2024 winter2025 spring2023 spring2024 spring2025 autumn2024
fall2024 tokyo2021 tokyo2024 welcome2020 welcome2021 welcome2022 welcome2023 welcome2024
welcome2025 password2020 password2021 password2022 password2023 password2024 password2025
january1 february1 march1 april1 may1 june1 july1 august1 september1 october1 november1
december1 monday1 friday1 sunday1
company1 company123 business1 office123 work work123 worker staff staff123 employee member
members account accounts customer client clients partner partners sales marketing finance
accounting payroll hr helpdesk itsupport support123 service123 services corporate enterprise
global local national international solutions technology tech technical engineer engineering
develop developer development devops project projects manager1 manager123 director president
ceo boss chief leader team teamwork together1 success success1 money money123 cash dollar
bitcoin crypto invest profit million rich richman
security secure secure123 safety protect protected firewall access123 accessdenied letmein12
open openup opensesame sesame knock keyboard mouse monitor laptop desktop printer scanner
phone mobile cellphone telephone contact contact123 email email123 mail mail123 message
hosting cloud cloud123 storage datacenter netadmin network1 router switch wireless wifi wifi123
ubuntu linux debian redhat centos unix windows10 windows7 windowsxp vista macintosh macbook
apple123 ipad ipod itunes icloud skype zoom teams slack outlook office365 sharepoint exchange
cisco juniper huawei fujitsu hitachi toshiba panasonic sharp nec canon nikon olympus casio
toyota honda nissan mazda subaru suzuki1 yamaha kawasaki mitsubishi lexus porsche ferrari
lamborghini bmw mercedes audi volkswagen volvo ford chevy chevrolet dodge jeep tesla corvette
camaro harley1 ducati
mercury venus earth mars jupiter saturn uranus neptune pluto1 galaxy universe cosmos planet
star stars sun moon moonlight sunlight sunset sunrise ocean sea river mountain forest nature
thunder lightning storm rain snow snowball snowflake ice fire water wind earth1 shadow12
blackdragon reddragon silverfox redfox bluesky skyblue blackcat whitecat redrose bluebird
music guitar piano drums rock rockstar rocknroll metal metallica nirvana beatles eminem
madonna michaeljackson elvis prince queen beyonce rihanna shakira britney justinbieber
onedirection bts blackpink exo bigbang twice arashi smap akb48 babymetal
movie movies cinema disney pixar marvel avengers hulk1 thor loki captain america1 ironman1
spiderman1 superman12 batman12 joker harleyquinn wonderwoman flash aquaman deadpool wolverine
xmen transformers optimus bumblebee godzilla kingkong jurassic titanic avatar terminator
rambo rocky predator alien ghost ghostbusters scream halloween christmas xmas santa newyear
valentine easter birthday holiday vacation weekend party dance dancer dancing singer
school college student teacher university science history english math physics chemistry
doctor nurse hospital police fireman army navy marine airforce pilot captain sailor
pirate pirates cowboy cowboys indian knight king kingdom queen1 princess12 prince1 lord
ladybug lady gentleman boy girl girls boys man woman mother father mom dad mommy daddy
sister brother son daughter grandma grandpa family1 home house garden kitchen bedroom
letmein2 trustme believe faith hope hope123 peace love1234 iloveyou2 iloveyou12 iloveyou123
ihateyou hateyou fuckyou1 kissme kisses hugs missyou imissyou needyou wantyou
1234567q 1234567qwe 12qwaszx 12qw12qw 12qwas 1q1q1q1q 1a1a1a1a 2w3e4r5t 3edc4rfv 4rfv5tgb
qwerty7 qwerty9 qwerty11 qwerty13 qwerty22 qwerty77 qwerty99 qwerty01 qwertyqwerty
yankees redsox lakers bulls celtics knicks giants jets eagles1 steelers packers broncos
raiders patriots dolphins panthers tigers1 marlins rangers1 kings hiroshimacarp giants1
hanshin tigers swallows dragons1 baystars carp hawks lions fighters buffaloes marines
gemini cancer leo virgo libra scorpio sagittarius capricorn aquarius pisces aries taurus
oneplus onetwothree abcdef123 abcdef1 abc12 abc123456 qwe qweqweqwe 123123123 123321123
1212 2222 3333 4444 5555 6666 7777 8888 9999 2000 2001 2002 1990 1991 1992 1999 2010 2020
11111 22222 33333 44444 55555 66666 77777 88888 99999 222222 333333 444444 777777 888888 999999
1234512345 12312312 159753456 147896325 1472583690 1357924680 135792468 13579 24680 2468
121314 010203 0102030405 123098 123890 1234321 123454321 112211 1122 11112222 12345qwert
zxcvbnm123 qwertyuiop123 1qaz2wsx! qwer!234 asdf!234 1q2w3e! 1q2w3e4r! abc123! abcd123
iloveme imcool imthebest thebest best1 number1 numberone no1 first firstlove
letmein01 welcome01 password01! admin01 user01 test01 guest01 root123 toor123 pass01
`;

const COMMON: ReadonlySet<string> = new Set(WORDS.split(/\s+/u).filter(Boolean).map((w) => w.toLowerCase()));

/** Number of distinct entries in the built-in list (for tests and the admin "policy" page). */
export const commonPasswordCount = COMMON.size;

// Leetspeak substitutions undone before matching (rule 3). `1` is read both as i and as l.
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't', '|': 'l' };

function unleet(s: string, one: 'i' | 'l'): string {
  return s.replace(/[@43!0$57|1]/g, (c) => (c === '1' ? one : LEET[c] ?? c));
}

/** Leading and trailing non-letters removed: "!summer2024!" → "summer". */
function core(s: string): string {
  return s.replace(/^\P{L}+/u, '').replace(/\P{L}+$/u, '');
}

function isOneRepeatedChar(s: string): boolean {
  return /^(.)\1+$/su.test(s);
}

/** True when the password is, or is a trivial variation of, a listed common password (rules 1–4 above). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const whole = [lower, lower.replace(/\s+/gu, '')];
  const cores = whole.map(core).filter((c) => [...c].length >= 4);
  const candidates = [...whole, ...cores];
  for (const c of [...candidates]) candidates.push(unleet(c, 'i'), unleet(c, 'l'));
  if (candidates.some((c) => COMMON.has(c))) return true;
  return isOneRepeatedChar(lower) || cores.some(isOneRepeatedChar);
}
