// The emoji the picker offers: a small built-in set of common ones, in
// categories, each with the words it is found by. Built in rather than a
// package: the maintained pickers load their data (≈ 40 KB gzip and more) from
// a CDN or inject <style> elements, neither of which the page's CSP allows,
// and a chat reaction needs a few hundred familiar faces, not all 3,800.
// Every entry is fully qualified ("❤️" with its U+FE0F), the only spelling
// the server takes (protocol/emoji.ts).

/** One emoji, its name and the words it is found by. */
export interface EmojiEntry {
  emoji: string
  /** Its short English name ("thumbs up"), for labels and tooltips. */
  name: string
  /** Lower-case words it is found by, the name's first ("thumbs", "up", "+1", "yes" …). */
  words: string[]
}

export interface EmojiCategory {
  id: string
  label: string
  /** The emoji shown on the category's tab. */
  icon: string
  entries: EmojiEntry[]
}

/** "👍 thumbs up;+1 yes|😃 smiley": emoji, name, ";" and more words; compact to write, split once at load. */
function parse(list: string): EmojiEntry[] {
  return list.split('|').map((item) => {
    const space = item.indexOf(' ')
    const [name = '', more = ''] = item.slice(space + 1).split(';')
    return { emoji: item.slice(0, space), name, words: `${name} ${more}`.split(' ').filter(Boolean) }
  })
}

/** One-click reactions in the message actions, the most used in chats. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀']

export const EMOJI_CATEGORIES: EmojiCategory[] = [
  {
    id: 'smileys',
    label: 'Smileys',
    icon: '😀',
    entries: parse(
      '😀 grinning face;smile happy|😃 smiley face;happy joy|😄 smile;happy laugh|😁 beaming grin|😆 laughing;squint haha|😅 sweat smile;relief|🤣 rolling on the floor laughing rofl;lol|😂 tears of joy;laugh lol crying|🙂 slightly smiling|🙃 upside down;silly|😉 wink|😊 blush;smiling eyes|😇 innocent;halo angel|🥰 smiling with hearts;love|😍 heart eyes;love|🤩 star struck;wow|😘 blowing a kiss|😋 yum;delicious|😛 tongue|😜 winking tongue;crazy|🤪 zany;crazy|😝 squinting tongue|🤗 hugging;hug|🤭 hand over mouth;oops|🤫 shushing;quiet secret|🤔 thinking;hmm|🤐 zipper mouth|🤨 raised eyebrow;skeptical|😐 neutral;meh|😑 expressionless|😶 no mouth;speechless|😏 smirk|😒 unamused|🙄 rolling eyes|😬 grimacing awkward|😌 relieved|😔 pensive;sad|😪 sleepy|🤤 drooling|😴 sleeping;zzz|😷 mask;sick|🤒 thermometer;ill fever|🤕 bandage;hurt|🤢 nauseated;sick|🤮 vomiting|🥵 hot|🥶 cold;freezing|🥴 woozy|😵 dizzy|🤯 exploding head;mind blown|🤠 cowboy|🥳 partying;party celebrate|😎 sunglasses;cool|🤓 nerd;geek|🧐 monocle|😕 confused|😟 worried|🙁 frowning|😮 open mouth;wow surprised|😯 hushed|😲 astonished;shocked|😳 flushed;embarrassed|🥺 pleading;puppy eyes|😦 frowning open mouth|😧 anguished|😨 fearful;scared|😰 anxious;sweat|😥 sad;relieved|😢 crying;sad tear|😭 sobbing loudly;crying|😱 screaming;fear|😖 confounded|😣 persevering|😞 disappointed|😓 downcast;sweat|😩 weary;tired|😫 tired|🥱 yawning;bored|😤 steam;triumph|😡 pouting;angry rage|😠 angry;mad|🤬 cursing;swearing|😈 smiling devil|💀 skull;dead|💩 pile of poo|🤡 clown|👻 ghost|👽 alien|🤖 robot',
    ),
  },
  {
    id: 'people',
    label: 'People',
    icon: '👍',
    entries: parse(
      '👍 thumbs up;+1 yes ok like|👎 thumbs down;-1 no dislike|👌 ok hand;perfect|✌️ victory;peace|🤞 crossed fingers;luck hope|🤟 love you gesture|🤘 horns;rock|🤙 call me|👈 pointing left|👉 pointing right|👆 pointing up|👇 pointing down|☝️ index up|👋 waving hand;hello hi bye|🤚 raised back of hand|✋ raised hand;stop high five|🖖 vulcan salute|👏 clapping;applause bravo|🙌 raising hands;hooray|👐 open hands|🤲 palms up|🤝 handshake;deal agreement|🙏 folded hands;please thanks pray|✍️ writing|💪 flexed biceps;strong|🧠 brain;smart|👀 eyes;look watching|👁️ eye|👄 mouth|🫡 saluting face|🫶 heart hands;love|🙋 raising hand;question me|🙆 ok gesture|🙅 no gesture|🤷 shrugging;dunno|🤦 facepalm|🙇 bowing;sorry|💁 tipping hand|🧑‍💻 technologist;coder developer|👶 baby|🧑 person|👨 man|👩 woman|🧓 older person|🏃 running|🚶 walking|💃 dancing;woman|🕺 dancing;man',
    ),
  },
  {
    id: 'hearts',
    label: 'Hearts and symbols',
    icon: '❤️',
    entries: parse(
      '❤️ red heart;love|🧡 orange heart|💛 yellow heart|💚 green heart|💙 blue heart|💜 purple heart|🖤 black heart|🤍 white heart|🤎 brown heart|💔 broken heart|❣️ heart exclamation|💕 two hearts|💞 revolving hearts|💓 beating heart|💗 growing heart|💖 sparkling heart|💘 heart with arrow|💝 heart with ribbon;gift|💯 hundred points;100 perfect|💢 anger|💥 collision;boom|💫 dizzy;stars|💦 sweat droplets|💨 dashing away|💬 speech balloon;comment|💭 thought balloon|💤 zzz;sleep|✅ check mark button;done yes|☑️ check box|✔️ check mark|❌ cross mark;no wrong|❎ cross mark button|❓ question mark|❗ exclamation mark|‼️ double exclamation|⚠️ warning|🚫 prohibited;forbidden|⛔ no entry|🔥 fire;hot lit|✨ sparkles;shiny new|⭐ star|🌟 glowing star|⚡ high voltage;lightning zap|🎯 direct hit;target bullseye|🔔 bell;notification|🔕 bell with slash;mute|➕ plus;add|➖ minus|➡️ right arrow|⬅️ left arrow|⬆️ up arrow|⬇️ down arrow|🔁 repeat|🆗 ok button|🆕 new button|🆒 cool button',
    ),
  },
  {
    id: 'nature',
    label: 'Animals and nature',
    icon: '🐶',
    entries: parse(
      '🐶 dog face;puppy|🐱 cat face;kitten|🐭 mouse|🐹 hamster|🐰 rabbit;bunny|🦊 fox|🐻 bear|🐼 panda|🐨 koala|🐯 tiger|🦁 lion|🐮 cow|🐷 pig|🐸 frog|🐵 monkey|🙈 see no evil monkey|🙉 hear no evil monkey|🙊 speak no evil monkey|🐔 chicken|🐧 penguin|🐦 bird|🦆 duck|🦉 owl|🐝 honeybee;bee|🦋 butterfly|🐌 snail;slow|🐢 turtle;slow|🐍 snake|🐙 octopus|🐬 dolphin|🐳 spouting whale|🦈 shark|🐘 elephant|🦒 giraffe|🦄 unicorn|🐞 lady beetle;ladybug|🐛 bug|🌸 cherry blossom|🌹 rose|🌻 sunflower|🌷 tulip|🌱 seedling|🌲 evergreen tree|🌴 palm tree|🍀 four leaf clover;luck|🍁 maple leaf|🍂 fallen leaf;autumn|🌵 cactus|☀️ sun;sunny|🌙 crescent moon;night|⛅ sun behind cloud|🌧️ rain cloud|⛄ snowman|❄️ snowflake;cold|🌈 rainbow|🌊 water wave|🌍 globe;earth world',
    ),
  },
  {
    id: 'food',
    label: 'Food and drink',
    icon: '🍕',
    entries: parse(
      '🍎 red apple|🍊 tangerine;orange|🍋 lemon|🍌 banana|🍉 watermelon|🍇 grapes|🍓 strawberry|🍒 cherries|🍑 peach|🥭 mango|🍍 pineapple|🥑 avocado|🍅 tomato|🌶️ hot pepper;spicy|🥕 carrot|🌽 corn|🥔 potato|🍞 bread|🥐 croissant|🧀 cheese|🥚 egg|🍳 cooking;fried egg|🥞 pancakes|🥓 bacon|🍔 hamburger;burger|🍟 french fries|🍕 pizza|🌭 hot dog|🌮 taco|🌯 burrito|🥗 salad|🍝 spaghetti pasta|🍜 steaming bowl;ramen noodles|🍲 pot of food;stew|🍛 curry;rice|🍣 sushi|🍱 bento box|🥟 dumpling|🍚 cooked rice|🍙 rice ball|🍦 ice cream|🍩 doughnut;donut|🍪 cookie|🎂 birthday cake|🍰 shortcake;cake|🧁 cupcake|🍫 chocolate bar|🍬 candy|🍿 popcorn|☕ hot beverage;coffee tea|🍵 teacup;green tea|🧋 bubble tea;boba|🥤 cup with straw;soda|🍺 beer mug|🍻 clinking beer mugs;cheers|🥂 clinking glasses;toast cheers|🍷 wine glass|🍸 cocktail|🥛 glass of milk|💧 droplet;water',
    ),
  },
  {
    id: 'activities',
    label: 'Activities and objects',
    icon: '🎉',
    entries: parse(
      '🎉 party popper;tada celebrate congratulations|🎊 confetti ball|🎈 balloon|🎁 wrapped gift;present|🏆 trophy;winner|🥇 first place;gold medal|🏅 sports medal|⚽ soccer ball;football|🏀 basketball|🏈 american football|⚾ baseball|🎾 tennis|🏐 volleyball|🎮 video game controller|🕹️ joystick|🎲 game die;dice|♟️ chess pawn|🎯 bullseye|🎳 bowling|🎸 guitar|🎹 musical keyboard;piano|🎤 microphone;karaoke|🎧 headphone;music|🎵 musical note|🎶 musical notes|🎬 clapper board;movie|📷 camera;photo|💻 laptop;computer|🖥️ desktop computer|⌨️ keyboard|🖱️ computer mouse|📱 mobile phone|☎️ telephone|🔋 battery|🔌 electric plug|💡 light bulb;idea|🔦 flashlight|📚 books|📖 open book;read|📝 memo;note|✏️ pencil|📌 pushpin;pin|📎 paperclip|📅 calendar;date|📈 chart increasing;up growth|📉 chart decreasing;down|📊 bar chart|🗂️ card index dividers|📦 package;box shipping|✉️ envelope;mail|📣 megaphone;announcement|🔒 locked|🔓 unlocked|🔑 key|🔨 hammer|🛠️ hammer and wrench;tools|⚙️ gear;settings|🧪 test tube;experiment|🐛 bug|🚀 rocket;launch ship|✈️ airplane;travel|🚗 automobile;car|🚲 bicycle;bike|🏠 house;home|🏢 office building|⏰ alarm clock|⏳ hourglass;waiting|⌛ hourglass done|🕐 one o’clock;time|💰 money bag|💸 money with wings|🎓 graduation cap|👑 crown;king|💎 gem stone;diamond|🧩 puzzle piece',
    ),
  },
  {
    id: 'flags',
    label: 'Flags',
    icon: '🏁',
    entries: parse(
      '🏁 chequered flag;finish|🚩 triangular flag;red flag|🏳️ white flag;surrender|🏴 black flag|🏳️‍🌈 rainbow flag;pride|🇰🇷 flag south korea|🇯🇵 flag japan|🇨🇳 flag china|🇺🇸 flag united states;usa|🇬🇧 flag united kingdom;uk|🇩🇪 flag germany|🇫🇷 flag france|🇪🇸 flag spain|🇮🇹 flag italy|🇧🇷 flag brazil|🇨🇦 flag canada|🇮🇳 flag india|🇺🇦 flag ukraine|🇪🇺 flag european union;eu',
    ),
  },
]

/** Every entry, for search; an emoji listed in two categories comes once. */
const ALL: EmojiEntry[] = (() => {
  const seen = new Set<string>()
  const out: EmojiEntry[] = []
  for (const category of EMOJI_CATEGORIES)
    for (const entry of category.entries) {
      if (seen.has(entry.emoji)) continue
      seen.add(entry.emoji)
      out.push(entry)
    }
  return out
})()

/**
 * The emoji whose words match every word of `query` (each a prefix of one of
 * the entry's words, case-insensitive), best first: names holding every word
 * whole (shortest name first: "heart" finds the red heart before "heart
 * eyes"), then names starting with the query, then the rest; at most `limit`.
 */
export function searchEmoji(query: string, limit = 60): EmojiEntry[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (terms.length === 0) return []
  const scored: { entry: EmojiEntry; rank: number }[] = []
  for (const entry of ALL) {
    if (!terms.every((term) => entry.words.some((word) => word.startsWith(term)))) continue
    const nameWords = entry.name.split(' ')
    const rank = terms.every((term) => nameWords.includes(term)) ? entry.name.length : entry.name.startsWith(terms.join(' ')) ? 1000 : 2000
    scored.push({ entry, rank })
  }
  // Array.prototype.sort is stable: equal ranks keep the categories' order.
  return scored
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((s) => s.entry)
}

const NAMES = new Map(ALL.map((entry) => [entry.emoji, entry.name]))

/** The name of an emoji of the set ("thumbs up"), or undefined for one from elsewhere. */
export function emojiName(emoji: string): string | undefined {
  return NAMES.get(emoji)
}
