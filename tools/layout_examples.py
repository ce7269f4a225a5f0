# SPDX-License-Identifier: Apache-2.0
"""Hand-written page texts (made up, written from the conventions of
../shared/corpus/README.md) that add layouts the training corpus has few of:
byline forms, date-line forms, captions with credits, datelines, furniture.
Each entry: (name, text, gold) with the corpus gold keys that label lines.
Read by tools/train_layout.py; not test fixtures."""

EXAMPLES = [
    ("ex_wire_01",
     "Harbor city approves new ferry terminal\n\nBy Jane Okafor\n\n"
     "PORTVILLE, March 4 (Coastal News) -- The city council on Tuesday approved a new ferry terminal that will cost "
     "about 40 million dollars, officials said.\n\nThe terminal is expected to open in two years.\n\n"
     "Residents had asked for better connections to the islands for more than a decade.",
     {"title": "Harbor city approves new ferry terminal", "author": "Jane Okafor"}),
    ("ex_nav_02",
     "Skip to content\nMenu\nSearch\nWorld\nBusiness\nSport\n"
     "Chipmaker posts record quarterly revenue\n"
     "By Tom Reyes and Alia Haddad, Example Business\n"
     "Updated 3:10 p.m. ET, May 2, 2021\n"
     "The company said sales of its newest processors more than doubled from a year earlier, lifting revenue to a "
     "record.\n"
     "Analysts had expected a smaller increase because of supply problems at two factories.\n"
     "Share this article\nFacebook\nTwitter\nEmail\n",
     {"title": "Chipmaker posts record quarterly revenue", "author": "Tom Reyes and Alia Haddad", "date": "2021-05-02",
      "boilerplate": ["Skip to content", "Menu", "Search", "World", "Business", "Sport", "Share this article",
                      "Facebook", "Twitter", "Email"]}),
    ("ex_blog_03",
     "Tuesday, April 9, 2019\n\nCounty library extends weekend hours\n\n"
     "The county library will stay open until 8 p.m. on Saturdays starting next month, the board decided on Monday "
     "night.\n\nThe change follows a survey in which most users asked for longer hours.\n\n"
     "Posted by Marta at 10:02 AM 3 comments\n\nLabels: library, county\n\nNewer Post Older Post Home",
     {"title": "County library extends weekend hours", "author": "Marta", "date": "2019-04-09",
      "boilerplate": ["Labels: library, county", "Newer Post Older Post Home"]}),
    ("ex_reporter_04",
     "Port operator orders six electric cranes\n\nReporter: Kim Min-ji\n\nPublished : 2024-01-02 10:00\n\n"
     "A port operator in the south has ordered six electric cranes to replace diesel machines by the end of the "
     "year.\n\nThe operator said the new cranes would cut fuel costs by a third.\n\n[email protected]\n\n"
     "Most Read\n\nCopyright 2024 Example Daily. All rights reserved.",
     {"title": "Port operator orders six electric cranes", "author": "Kim Min-ji", "date": "2024-01-02",
      "boilerplate": ["[email protected]", "Most Read", "Copyright 2024 Example Daily. All rights reserved."]}),
    ("ex_bar_05",
     "Farm exports rise for third year\n\nWheat and barley lead the gains as prices recover\n\n"
     "Lee Sun-woo | 2019.03.04\n\n"
     "Farm exports rose for a third straight year as prices of wheat and barley recovered from a slump, trade data "
     "showed on Monday.\n\nExporters said demand from neighbouring countries was strong.",
     {"title": "Farm exports rise for third year", "tagline": "Wheat and barley lead the gains as prices recover",
      "author": "Lee Sun-woo", "date": "2019-03-04"}),
    ("ex_caption_06",
     "Workers repair a bridge damaged by floods in the northern province on Monday.\n\nPhoto : Example Agency\n\n"
     "Engineers began repairing dozens of bridges damaged by last week's floods, the transport ministry said on "
     "Tuesday.\n\nThe ministry said most roads would reopen within a month.",
     {"title": None, "caption": "Workers repair a bridge damaged by floods in the northern province on Monday.\n"
                                "Photo : Example Agency"}),
    ("ex_caption_07",
     "Stocks slide as oil prices jump\n\n"
     "A trader watches screens on the floor of the exchange in the capital, June 3, 2022. (Example Wire)\n\n"
     "Stocks fell on Friday as a jump in oil prices revived worries about inflation, with energy importers hit "
     "hardest.\n\nTraders said the mood could change quickly if prices eased.",
     {"title": "Stocks slide as oil prices jump",
      "caption": "A trader watches screens on the floor of the exchange in the capital, June 3, 2022. (Example Wire)"}),
    ("ex_caption_08",
     "Museum reopens after renovation\n\nVisitors queue outside the museum on its reopening day.\n\n"
     "AFP/Getty Images\n\n"
     "The national museum reopened on Saturday after a three-year renovation that added two new galleries.\n\n"
     "More than 5,000 people visited on the first day, the museum said.",
     {"title": "Museum reopens after renovation",
      "caption": "Visitors queue outside the museum on its reopening day.\nAFP/Getty Images"}),
    ("ex_kcna_09",
     "October 3, 2024\nStatement Archive\nMinistry Issues Statement on Joint Drills\n"
     "Date: 24/09/2020 | Source: Example Ministry | Read original version at source\n"
     "The ministry released the following statement on September 24:\n"
     "The joint drills staged near the border are a grave threat to regional stability and must be stopped at "
     "once.\nMore From Example Ministry\n",
     {"title": "Ministry Issues Statement on Joint Drills", "date": "2020-09-24",
      "boilerplate": ["October 3, 2024", "Statement Archive", "More From Example Ministry"]}),
    ("ex_staff_10",
     "New subway line to open in autumn\n\nPark Ji-hoon, Staff Reporter\n\n"
     "A new subway line linking the airport with the city centre will open in October, the city said on Wednesday.\n"
     "\nThe line will cut travel time to the airport to 25 minutes.",
     {"title": "New subway line to open in autumn", "author": "Park Ji-hoon"}),
    ("ex_glued_11",
     "Navigation\n\nRetail sales climb in spring\n\n"
     "Metro PressLONDON (Metro Press) — Retail sales rose more than expected in April and May as warmer weather "
     "brought shoppers back to high streets.\n\nClothing and garden goods sold best.",
     {"title": "Retail sales climb in spring", "author": "Metro Press", "boilerplate": ["Navigation"]}),
    ("ex_cookie_12",
     "We use cookies to improve your experience on our site. By continuing to browse you agree to our use of "
     "cookies.\nAccept all cookies\nSkip to main content\n"
     "Regional airline adds routes to three cities\n"
     "The airline said it would start flights to three cities in the autumn, adding 40 weekly departures.\n"
     "It expects to carry two million passengers next year.\n"
     "Related stories\nAirport expansion approved after long delay\nPilots vote to accept new contract\n"
     "Continue reading...",
     {"title": "Regional airline adds routes to three cities",
      "boilerplate": ["We use cookies to improve your experience on our site. By continuing to browse you agree to "
                      "our use of cookies.", "Accept all cookies", "Skip to main content", "Related stories",
                      "Airport expansion approved after long delay", "Pilots vote to accept new contract",
                      "Continue reading..."]}),
    ("ex_subheads_13",
     "How the city plans to spend its budget\n\n"
     "The city will spend most of next year's budget on roads, schools and parks, according to the plan released on "
     "Thursday.\n\nROADS FIRST\n\nAbout a third of the money will go to repairing roads and bridges, the plan said.\n\n"
     "SCHOOLS AND PARKS\n\nTwo new schools will be built, and five parks will get new playgrounds.",
     {"title": "How the city plans to spend its budget", "subheadings": ["ROADS FIRST", "SCHOOLS AND PARKS"]}),
    ("ex_namebox_14",
     "News / Europe\n\nParliament passes new data law\n\nMaria Lindqvist\n\nMarch 02, 2016 9:16 PM\n\n"
     "Parliament passed a law on Wednesday that limits how long companies may keep customer data.\n\n"
     "The law takes effect next year.",
     {"title": "Parliament passes new data law", "author": "Maria Lindqvist", "date": "2016-03-02",
      "boilerplate": ["News / Europe"]}),
    ("ex_bullet_15",
     "The Weekly Courier\n\nWhy the transfer window needs a rethink\n\nComment\n\n- Arthur BELL\n\n"
     "Clubs spent more money than ever this summer, and most of it went to a handful of players.\n\n"
     "That is not healthy for the game, and the league should act before next season.",
     {"title": "Why the transfer window needs a rethink", "author": "Arthur BELL",
      "boilerplate": ["The Weekly Courier", "Comment"]}),
    ("ex_date_16",
     "+ A\n\nA decade of foreign-language reporting\n\nDec 28,2017\n\n"
     "Reporters from six newspapers were honoured at a ceremony on Wednesday for their coverage of the year's "
     "biggest stories.\n\nThe association was founded ten years ago.",
     {"title": "A decade of foreign-language reporting", "date": "2017-12-28", "boilerplate": ["+ A"]}),
    ("ex_pr_17",
     "Example Corp Opens Research Center in Austin\n\nCenter will employ 200 engineers by 2026\n\n"
     "AUSTIN, Texas, Jan. 5, 2020 /PRNewswire/ -- Example Corp today announced the opening of a research center in "
     "Austin that will focus on battery technology.\n\nThe center is the company's third in the United States.\n\n"
     "SOURCE Example Corp",
     {"title": "Example Corp Opens Research Center in Austin", "tagline": "Center will employ 200 engineers by 2026",
      "date": "2020-01-05", "boilerplate": ["SOURCE Example Corp"]}),
    ("ex_updated_18",
     "Festival draws record crowds\n\nPublished: 09 Jul. 2025, 18:02 Updated: 09 Jul. 2025, 18:07\n\n"
     "- CHOI YOON-AH\n\n- [email protected]\n\n"
     "A summer music festival drew a record 80,000 visitors over three days, organisers said on Sunday.\n\n"
     "The festival will return next July.",
     {"title": "Festival draws record crowds", "author": "CHOI YOON-AH", "date": "2025-07-09",
      "boilerplate": ["- [email protected]"]}),
    ("ex_nohead_19",
     "The central bank kept its key interest rate unchanged on Thursday, saying inflation was slowing as expected."
     "\n\nThe decision was in line with forecasts by most economists.\n\n"
     "The bank will meet again in six weeks.",
     {"title": None}),
    ("ex_posted_20",
     "Harvest festival returns to the square\n\n"
     "The harvest festival returns to the town square this weekend after a two-year break, with food stalls and a "
     "parade.\n\nVolunteers have been preparing for weeks.\n\n"
     "Posted in Local News by Dana Whitfield\n\nLeave a Reply\n\n"
     "Your email address will not be published. Required fields are marked *",
     {"title": "Harvest festival returns to the square", "author": "Dana Whitfield",
      "boilerplate": ["Leave a Reply", "Your email address will not be published. Required fields are marked *"]}),
    ("ex_byagency_21",
     "Most Popular\n\nCoast guard rescues 12 fishermen after boat capsizesBy Example News Agency\n\n"
     "Published : June 26, 2024 - 09:55\n\n"
     "The coast guard rescued 12 fishermen on Wednesday after their boat capsized in rough seas off the south "
     "coast.\n\nAll were taken to hospital with minor injuries.",
     {"title": "Coast guard rescues 12 fishermen after boat capsizes", "author": "Example News Agency",
      "date": "2024-06-26", "boilerplate": ["Most Popular"]}),
    ("ex_signoff_22",
     "Regulators approve merger of two rail operators\n\n"
     "Regulators approved the merger of two regional rail operators on Friday, clearing the way for a single "
     "network.\n\nThe companies said fares would not rise this year.\n\n"
     "(Reporting by Sam Ortiz; Editing by Lena Fox)\n\nSource: Example Wire",
     {"title": "Regulators approve merger of two rail operators", "author": "Sam Ortiz",
      "boilerplate": ["Source: Example Wire"]}),
    ("ex_dateline_23",
     "Tokyo, May 10 (Example Press)--Exporters reported higher profits for the year ended in March as a weak "
     "currency lifted overseas earnings.\n\nThe combined profit of 300 companies rose 12 percent.\n\n"
     "[Copyright Example Press Ltd.]",
     {"title": None, "boilerplate": ["[Copyright Example Press Ltd.]"]}),
    ("ex_live_24",
     "Live TV\nLive updates\nElection night: results as they come in\n"
     "By Nadia Petrova, Example News\nUpdated 11:45 p.m. ET, November 3, 2020\n12 Posts\n"
     "Polls have closed in the east\n"
     "Polls closed at 8 p.m. in most eastern states, and officials began counting ballots.\n",
     {"title": "Election night: results as they come in", "author": "Nadia Petrova", "date": "2020-11-03",
      "boilerplate": ["Live TV", "Live updates", "12 Posts"], "subheadings": ["Polls have closed in the east"]}),
    ("ex_credit_first_25",
     "Shipyard wins order for four tankers\n\nThe Example Shimbun\n"
     "Workers at the shipyard inspect a hull section on Tuesday.\n\n"
     "A shipyard in the west has won an order for four tankers worth a combined 300 million dollars, the company "
     "said.\n\nDelivery is planned for 2027.",
     {"title": "Shipyard wins order for four tankers",
      "caption": "The Example Shimbun\nWorkers at the shipyard inspect a hull section on Tuesday."}),
    ("ex_ddmmyyyy_26",
     "Water prices to rise in January\n\n26/11/2021\n\n"
     "Household water bills will rise by about 4 percent in January, the regulator said on Friday.\n\n"
     "The regulator said the increase would pay for new pipes.",
     {"title": "Water prices to rise in January", "date": "2021-11-26"}),
    ("ex_inline_27",
     "Valley farmers expect a late harvest\n\nBy Ruth Alvarez\n\n"
     "Farmers in the valley expect the harvest to start two weeks late this year after a cold and wet spring, the "
     "growers' association said on Thursday.\n\n"
     "A farmer checks his crop in the valley. (Example Wire)\n\n"
     "Prices of vegetables could rise in the meantime, traders said, because stocks from last year are low.\n\n"
     "The old irrigation canal before the repairs. Photo: Example Agency\n\n"
     "The association asked the government for help with the cost of drying the grain.",
     {"title": "Valley farmers expect a late harvest", "author": "Ruth Alvarez",
      "captions": ["A farmer checks his crop in the valley. (Example Wire)",
                   "The old irrigation canal before the repairs. Photo: Example Agency"]}),
    ("ex_inline_28",
     "Thousands march for cleaner air\n\n"
     "Thousands of people marched through the capital on Sunday to demand tougher rules on air pollution.\n\n"
     "Demonstrators gather outside parliament on Sunday. Image: Jane Roe/Example Agency\n\n"
     "Organisers said more than 20,000 people took part; police gave a lower figure.\n\n"
     "Share\n\nComments",
     {"title": "Thousands march for cleaner air",
      "captions": ["Demonstrators gather outside parliament on Sunday. Image: Jane Roe/Example Agency"],
      "boilerplate": ["Share", "Comments"]}),
    ("ex_filephoto_29",
     "FILE PHOTO: A container ship leaves the port in the capital, May 4, 2021. EXAMPLE/John Doe\n\n"
     "Exports rose 8 percent in June from a year earlier, customs data showed on Friday, helped by strong demand "
     "for chips.\n\nImports rose 5 percent.",
     {"title": None,
      "captions": ["FILE PHOTO: A container ship leaves the port in the capital, May 4, 2021. EXAMPLE/John Doe"]}),
    ("ex_caption_last_30",
     "River barges carry more grain\n\n"
     "Barges on the river carried a record amount of grain in the first half of the year as rail freight rates rose, "
     "the port authority said on Tuesday.\n\n"
     "Operators said low water levels in late summer could slow traffic again.\n\n"
     "A tug pushes loaded barges past the old lock near the port. Photo: Example Daily",
     {"title": "River barges carry more grain",
      "captions": ["A tug pushes loaded barges past the old lock near the port. Photo: Example Daily"]}),
    ("ex_caption_last_31",
     "Night trains return to the mountain line\n\n"
     "Night trains returned to the mountain line on Friday after a five-year break, with sleeper cars bought from a "
     "neighbouring country.\n\n"
     "The first train left the capital at 10 p.m. with most of its beds booked.\n\n"
     "Passengers board the first night train at the central station on Friday. (Example Wire)",
     {"title": "Night trains return to the mountain line",
      "captions": ["Passengers board the first night train at the central station on Friday. (Example Wire)"]}),
    ("ex_longtitle_32",
     "Is the city ready for another flood? Residents say the new walls are not high enough and the pumps are too old\n\n"
     "Residents of the low-lying eastern districts say the flood walls built after the last disaster are not high "
     "enough, and that the pumping stations are too old to cope with a storm like the one five years ago.\n\n"
     "City engineers said the walls met the standards in force when they were built.",
     {"title": "Is the city ready for another flood? Residents say the new walls are not high enough and the pumps "
               "are too old"}),

    # state statements and press releases relayed by portals: banner, section, headline, a source
    # line naming the agency and the service that relays it, the dateline
    ("ex_statement_33",
     "Support independent reporting - Donate today!\n\nDefense Library\n\n"
     "Ministry Spokesman Rejects Neighbour's Claims on Border Incident\n\n"
     "Central News Agency of Examplestan via National News Service (NNS)\n\n"
     "Capital City, March 12 (CNA) -- A spokesman for the Ministry of Defense answered a question put by CNA on "
     "Tuesday about claims made by the neighbouring government over last week's border incident:\n\n"
     "The claims are groundless and aimed at hiding the true cause of the incident, he said.",
     {"title": "Ministry Spokesman Rejects Neighbour's Claims on Border Incident",
      "boilerplate": ["Support independent reporting - Donate today!", "Defense Library",
                      "Central News Agency of Examplestan via National News Service (NNS)"]}),
    ("ex_statement_34",
     "February 11, 2025Feb 11, 2025\nCNA CNA.example (En)\n\n"
     "Statement by Director of Department of Foreign Trade of Ministry of Economy\n\n"
     "Date: 09/02/2025 | Source: CNA.example (En) | Read original version at source\n\n"
     "Capital City, February 9 (CNA) -- The director of the Department of Foreign Trade released the following "
     "statement on Sunday:\n\nThe new tariffs announced by the neighbouring country violate the trade agreement "
     "signed by both sides.",
     {"title": "Statement by Director of Department of Foreign Trade of Ministry of Economy", "date": "2025-02-09",
      "boilerplate": ["February 11, 2025Feb 11, 2025", "CNA CNA.example (En)"]}),
    ("ex_longhead_35",
     "State Budget Keeps Support for Farmers, Schools, and Hospitals Nearly Flat at 3.2 Billion Dollars\n\n"
     "Budget papers released on Monday show that the state will spend about 3.2 billion dollars on support for "
     "farmers, schools and hospitals in the coming year, almost the same as this year. The figures still need the "
     "approval of the legislature.\n\nOpposition lawmakers said the plan did not keep up with rising prices.",
     {"title": "State Budget Keeps Support for Farmers, Schools, and Hospitals Nearly Flat at 3.2 Billion Dollars"}),
    ("ex_broadcaster_36",
     "Live\nWatch\nListen\nNews / Americas\n\n"
     "Senate Approves Funding for Coastal Defenses\n\n"
     "Lawmakers inspect a damaged sea wall on the eastern shore, April 2, 2023.\n"
     "Lawmakers inspect a damaged sea wall on the eastern shore, April 2, 2023.\n"
     "Maria Delgado\n\n"
     "The Senate voted on Thursday to spend two billion dollars on sea walls and dunes along the eastern coast, "
     "where storms have grown stronger.\n\n"
     "The House is expected to take up the bill next month.\n\n"
     "Related Stories\nSea levels rise faster than expected, study finds\nTowns weigh retreat from the shore",
     {"title": "Senate Approves Funding for Coastal Defenses", "author": "Maria Delgado",
      "captions": ["Lawmakers inspect a damaged sea wall on the eastern shore, April 2, 2023.",
                   "Lawmakers inspect a damaged sea wall on the eastern shore, April 2, 2023."],
      "boilerplate": ["Live", "Watch", "Listen", "News / Americas", "Related Stories",
                      "Sea levels rise faster than expected, study finds", "Towns weigh retreat from the shore"]}),
    ("ex_authorbio_37",
     "Talks on fishing rights end without deal\n\n"
     "Talks between the two countries on fishing rights ended on Friday without a deal, and both sides said they "
     "would meet again in the autumn.\n\n"
     "The dispute concerns waters that both countries claim.\n\n"
     "Ian Mercer in Brussels contributed to this report.\n\n"
     "Share\nPrint\n\n"
     "Tomas Lindgren\n\n"
     "Tomas Lindgren is a correspondent covering European politics and trade. He has reported from more than "
     "thirty countries.",
     {"title": "Talks on fishing rights end without deal", "author": "Tomas Lindgren",
      "boilerplate": ["Share", "Print", "Tomas Lindgren is a correspondent covering European politics and trade. He "
                                        "has reported from more than thirty countries."]}),
    ("ex_blogfooter_38",
     "Why the old mill should be saved\n\n"
     "The old mill on the river has stood for two hundred years, and the town should not let it fall down for "
     "want of a new roof.\n\n"
     "A small grant and some volunteers would be enough to keep it standing until a buyer is found.\n\n"
     "This entry was posted in Local History, Opinion by Helen Marsh. Bookmark the permalink.\n\n"
     "Leave a comment",
     {"title": "Why the old mill should be saved", "author": "Helen Marsh",
      "boilerplate": ["Leave a comment"]}),
    ("ex_capsradio_39",
     "THE COUNTY BOARD HAS APPROVED A NEW CONTRACT FOR SNOW REMOVAL ON RURAL ROADS.\n\n"
     "THE BOARD VOTED 4-1 ON MONDAY TO HIRE A PRIVATE COMPANY FOR THE NEXT THREE WINTERS.\n\n"
     "SUPERVISORS SAID THE COUNTY COULD NOT FIND ENOUGH DRIVERS TO DO THE WORK ITSELF.",
     {"title": None}),
    ("ex_banner_40",
     "The Example Courier (Riverton)\n\n"
     "This ticket pricing has to stop\n\n"
     "Clubs keep raising ticket prices, and loyal fans are being pushed out of the grounds they grew up in.\n\n"
     "It is time the league set a cap on what a seat can cost.",
     {"title": "This ticket pricing has to stop", "boilerplate": ["The Example Courier (Riverton)"]}),
    ("ex_promo_41",
     "Ferry timetable changes for winter\n\n"
     "Island ferries will sail twice a day instead of four times from November, the operator said on Monday.\n\n"
     "Sign up for our free daily newsletter to get the latest local headlines in your inbox.\n\n"
     "The operator said fewer passengers travel in the colder months.\n\n"
     "Try our interactive map to find the sailing times from your nearest harbour\n\n"
     "Follow us",
     {"title": "Ferry timetable changes for winter",
      "boilerplate": ["Sign up for our free daily newsletter to get the latest local headlines in your inbox.",
                      "Try our interactive map to find the sailing times from your nearest harbour",
                      "Follow us"]}),
    ("ex_wirerewrite_42",
     "Coast guard seizes boat carrying fuel\n\n"
     "Seaport, June 3 (Harbor Wire) -- The coast guard seized a boat carrying smuggled fuel off the southern coast "
     "on Monday, officials said.\n\n"
     "Three crew members were detained.\n\n"
     "(Reporting by Ana Ruiz; Editing by Paul Kemp)\n\n"
     "(c) Copyright Harbor Wire 2024. Click For Restrictions",
     {"title": "Coast guard seizes boat carrying fuel", "author": "Ana Ruiz",
      "boilerplate": ["(c) Copyright Harbor Wire 2024. Click For Restrictions"]}),
    ("ex_pressrelease_43",
     "News Release\n\nExample Foods Reports Record Third-Quarter Sales\n\n"
     "Sales up 12 percent on strong demand for frozen meals\n\n"
     "SPRINGFIELD, Ill., Oct. 28, 2022 /Example Newswire/ -- Example Foods Inc. today reported record sales for the "
     "third quarter, driven by demand for its frozen meals.\n\n"
     "About Example Foods\n\nExample Foods makes frozen and chilled meals sold in 20 countries.\n\n"
     "Media contact: press@examplefoods.example",
     {"title": "Example Foods Reports Record Third-Quarter Sales",
      "tagline": "Sales up 12 percent on strong demand for frozen meals", "date": "2022-10-28",
      "boilerplate": ["News Release", "Media contact: press@examplefoods.example"],
      "subheadings": ["About Example Foods"]}),
    ("ex_bylinedate_44",
     "Menu\n\nHospital opens new children's wing\n\n"
     "By Aisha Bello | Staff Writer\n\nPublished 7:45 a.m. CT Aug. 14, 2019\n\n"
     "The regional hospital opened a new children's wing on Tuesday with 40 beds and its own emergency room.\n\n"
     "The wing cost 60 million dollars, most of it raised from donors.",
     {"title": "Hospital opens new children's wing", "author": "Aisha Bello", "date": "2019-08-14",
      "boilerplate": ["Menu"]}),
    ("ex_captioncredit_45",
     "Rail strike halts trains across the country\n\n"
     "Passengers wait at the central station during the strike on Monday.\n\nJane Roe/Example Agency\n\n"
     "Rail workers walked out on Monday in a dispute over pay, halting most trains across the country.\n\n"
     "The union said the strike would last 48 hours.",
     {"title": "Rail strike halts trains across the country",
      "caption": "Passengers wait at the central station during the strike on Monday.\nJane Roe/Example Agency"}),
    ("ex_deck_46",
     "Economy\n\nFactory output falls for second month\n\n"
     "Manufacturers blame weak orders from abroad and high energy costs\n\n"
     "By Chen Wei\n\nMarch 3, 2024\n\n"
     "Factory output fell for a second month in February as orders from abroad weakened, official data showed on "
     "Sunday.\n\nEconomists expect a recovery later in the year.",
     {"title": "Factory output falls for second month",
      "tagline": "Manufacturers blame weak orders from abroad and high energy costs", "author": "Chen Wei",
      "date": "2024-03-03", "boilerplate": ["Economy"]}),
    ("ex_altcaption_47",
     "Dam project wins final approval\n\n"
     "Engineers inspect the spillway of the old dam, right, next to the site of the new one.\n"
     "Engineers inspect the spillway of the old dam, right, next to the site of the new one.\n"
     "Maria Solano\n"
     "The regional government gave final approval on Thursday to a new dam that will supply water to three "
     "cities.\n"
     "Construction is due to start next spring and take five years.",
     {"title": "Dam project wins final approval", "author": "Maria Solano",
      "caption": "Engineers inspect the spillway of the old dam, right, next to the site of the new one.\n"
                 "Engineers inspect the spillway of the old dam, right, next to the site of the new one."}),
    ("ex_altcreditcaption_48",
     "Listen\n0:00\n\nSchools struggle to hire science teachers\n\n"
     "A teacher shows students how to use a microscope at a middle school in Lakeview, March 2.\n"
     "Tom Becker/Example Photo Service\n"
     "A teacher shows students how to use a microscope at a middle school in Lakeview, March 2.\n\n"
     "LAKEVIEW \u2014 Schools across the state say they cannot find enough science teachers, and some have "
     "cancelled classes for the coming year.\n\n"
     "Officials blame low pay and long hours.",
     {"title": "Schools struggle to hire science teachers",
      "caption": "A teacher shows students how to use a microscope at a middle school in Lakeview, March 2.\n"
                 "Tom Becker/Example Photo Service\n"
                 "A teacher shows students how to use a microscope at a middle school in Lakeview, March 2.",
      "boilerplate": ["Listen", "0:00"]}),
    ("ex_creditfirst_49",
     "Shipbuilders report strongest orders in a decade\n\n"
     "The Example Daily\n"
     "Workers weld hull sections at a shipyard on the southern coast on Wednesday.\n\n"
     "Shipbuilders booked more orders last year than in any year since 2013, an industry group said on Friday.\n\n"
     "Demand for gas carriers drove most of the increase.",
     {"title": "Shipbuilders report strongest orders in a decade",
      "caption": "The Example Daily\nWorkers weld hull sections at a shipyard on the southern coast on Wednesday."}),
    ("ex_bracketcaption_50",
     "+ A\n- A\n\nHonoured for service\n\nMay 3,2019\n"
     "Members of the volunteer fire brigade receive medals from the county governor at a ceremony in the town hall "
     "on Tuesday. From left, Anna Berg, deputy chief; Omar Said, driver; and Lena Holm, chief of the brigade. "
     "[EXAMPLE COUNTY OFFICE]",
     {"title": "Honoured for service", "date": "2019-05-03",
      "caption": "Members of the volunteer fire brigade receive medals from the county governor at a ceremony in the "
                 "town hall on Tuesday. From left, Anna Berg, deputy chief; Omar Said, driver; and Lena Holm, chief of "
                 "the brigade. [EXAMPLE COUNTY OFFICE]",
      "boilerplate": ["+ A", "- A"]}),
    ("ex_teasers_51",
     "Ministry Announces New Rail Link\n\n"
     "The transport ministry announced on Monday a new rail link between the two largest cities in the north.\n\n"
     "The link will cut travel time by half, the ministry said.\n\n"
     "More From Example Ministry\n\n"
     "Minister Visits Flood-Hit Villages\n\nMinister Visits Flood-Hit Villages\n\n"
     "The minister toured villages hit by last week's floods and promised money for repairs to homes and\n\n"
     "June 2, 2023\n\n"
     "The minister toured villages hit by last week's floods and promised money for repairs to homes and\n\n"
     "New Airport Terminal Opens\n\nNew Airport Terminal Opens\n\n"
     "A new terminal opened at the regional airport on Sunday after three years of building work that\n\n"
     "June 1, 2023\n\n",
     {"title": "Ministry Announces New Rail Link",
      "boilerplate": ["More From Example Ministry", "Minister Visits Flood-Hit Villages",
                      "The minister toured villages hit by last week's floods and promised money for repairs to "
                      "homes and", "June 2, 2023", "New Airport Terminal Opens",
                      "A new terminal opened at the regional airport on Sunday after three years of building work "
                      "that", "June 1, 2023"]}),
    ("ex_cta_52",
     "Support independent journalism - Make a donation today!\n\n"
     "Arts funding cut for second year\n\n"
     "The city will cut arts funding by 8 percent next year, the second cut in a row, according to the draft "
     "budget.\n\n"
     "Theatre groups said the cut would force them to stage fewer shows.\n\n"
     "Be the first to know. Get our morning briefing delivered to your inbox.\n\n"
     "Have your say\n\n"
     "Join the conversation",
     {"title": "Arts funding cut for second year",
      "boilerplate": ["Support independent journalism - Make a donation today!",
                      "Be the first to know. Get our morning briefing delivered to your inbox.",
                      "Have your say", "Join the conversation"]}),
    ("ex_disclaimer_53",
     "August 4, 2021\n\n"
     "What the census tells us about rural towns\n\n"
     "Small towns are shrinking, but not all of them, and the reasons are worth a closer look\n\n"
     "Opinions expressed in this column are the writer's own and do not reflect the views of this newspaper.\n\n"
     "The new census figures show that most rural towns lost people over the past ten years.",
     {"title": "What the census tells us about rural towns",
      "tagline": "Small towns are shrinking, but not all of them, and the reasons are worth a closer look",
      "boilerplate": ["August 4, 2021", "Opinions expressed in this column are the writer's own and do not reflect "
                                        "the views of this newspaper."]}),
    ("ex_bio_54",
     "Trade talks stall over farm subsidies\n\n"
     "Negotiators from the two blocs ended a week of talks on Friday without agreement on farm subsidies.\n\n"
     "Both sides said they would meet again next month.\n\n"
     "Rosa Delgado\n\n"
     "Rosa Delgado is a senior correspondent who has covered trade and diplomacy for fifteen years.\n\n"
     "Related\n\nExporters brace for higher tariffs",
     {"title": "Trade talks stall over farm subsidies", "author": "Rosa Delgado",
      "boilerplate": ["Rosa Delgado is a senior correspondent who has covered trade and diplomacy for fifteen years.",
                      "Related", "Exporters brace for higher tariffs"]}),
    ("ex_wirecredit_55",
     "Exports rose 5 percent in May from a year earlier, customs data showed on Thursday.\n\n"
     "Shipments of cars and machinery led the gains.\n\n"
     "($1 = 0.92 euros)\n\n"
     "(Reporting by Lukas Brandt and Eva Novak; Editing by Sam Holt)\n\n"
     "Source: Example Wire",
     {"title": None, "author": "Eva Novak", "boilerplate": ["Source: Example Wire"]}),
    ("ex_postedin_56",
     "Volunteers plant trees along the river\n\n"
     "More than a hundred volunteers planted trees along the river on Saturday to stop the banks from washing "
     "away.\n\n"
     "The group plans another planting in the autumn.\n\n"
     "[Riverside Notes]\n\n"
     "This entry was posted in Environment, Local News by Carla Mendes. Bookmark the permalink.",
     {"title": "Volunteers plant trees along the river", "author": "Carla Mendes",
      "boilerplate": ["[Riverside Notes]"]}),
    ("ex_topicbar_57",
     "Photo: Example Agency\n"
     "Police officers stand guard outside the court in the capital on Monday.\n"
     "Court jails former mayor for bribery\n"
     "The former mayor was sentenced to six years in prison on Monday for taking bribes from builders.\n"
     "Topic | Courts\n"
     "Posted inPolitics & Government",
     {"title": "Court jails former mayor for bribery",
      "caption": "Photo: Example Agency\nPolice officers stand guard outside the court in the capital on Monday.",
      "boilerplate": ["Topic | Courts", "Posted inPolitics & Government"]}),
    ("ex_sitedate_58",
     "Tuesday, 12 March 2019 | 10:45 | Example City\n\n"
     "Sport\n\n"
     "Club sells striker for record fee\n\n"
     "The club sold its top scorer for a record fee on Monday, ending a long standoff over his contract.\n\n"
     "The striker had asked to leave in January.\n\n"
     "Newsletter\n\nSign up\n\nSuccess! You're on the list.",
     {"title": "Club sells striker for record fee",
      "boilerplate": ["Tuesday, 12 March 2019 | 10:45 | Example City", "Sport", "Newsletter", "Sign up",
                      "Success! You're on the list."]}),
    ("ex_feedprefix_59",
     "Example Weekly - Why the new stadium plan deserves a second look\n\n"
     "The council rejected the stadium plan too quickly, and it should look at it again before the money goes "
     "elsewhere. Continue reading...",
     {"title": "Why the new stadium plan deserves a second look"}),
    ("ex_signature_60",
     "Carmaker delays electric model again\n\n"
     "The carmaker said on Tuesday it would delay its first electric pickup by another year, blaming a shortage "
     "of battery cells. Read more at Example Motors News. Dana Whitfield\n\n"
     "Subscribe to our newsletter\n\n"
     "Get the day's top stories straight to your inbox",
     {"title": "Carmaker delays electric model again",
      "boilerplate": ["Subscribe to our newsletter", "Get the day's top stories straight to your inbox"]}),
    ("ex_nocredit_caption_61",
     "Central Bank Holds Rates Steady\n\n"
     "The central bank headquarters in the capital\n"
     "14:20, July 9, 2024\n"
     "CAPITAL CITY (Example Wire) \u2014 The central bank kept its main interest rate unchanged on Tuesday, "
     "saying inflation was slowing but still too high.\n"
     "Most economists had expected the decision.",
     {"title": "Central Bank Holds Rates Steady", "date": "2024-07-09",
      "caption": "The central bank headquarters in the capital"}),
    ("ex_breadcrumb_62",
     "Home >> Business >> Retail\n\nGrocery chain to close twelve stores\n\n"
     "The grocery chain said on Monday it would close twelve stores by the end of the year as more shoppers buy "
     "online.\n\nAbout 600 jobs will be affected, the company said.",
     {"title": "Grocery chain to close twelve stores", "boilerplate": ["Home >> Business >> Retail"]}),
    ("ex_breadcrumb_63",
     "News \u00bb World \u00bb Asia\n\nFloods force thousands from their homes\n\nBy Ravi Menon\n\n"
     "Heavy rain caused floods across the region on Sunday, forcing thousands of people to leave their homes, "
     "officials said.\n\nRescue teams used boats to reach villages cut off by the water.\n\n"
     "Home \u203a World",
     {"title": "Floods force thousands from their homes", "author": "Ravi Menon",
      "boilerplate": ["News \u00bb World \u00bb Asia", "Home \u203a World"]}),
]
